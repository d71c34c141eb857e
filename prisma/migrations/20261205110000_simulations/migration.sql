-- CreateTable
CREATE TABLE "simulations" (
    "id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "model_name" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "replications" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "simulations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "simulations_created_at_idx" ON "simulations"("created_at");

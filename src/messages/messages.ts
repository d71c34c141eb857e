/** The messages feature on one Prisma client: its store and service. */
import type { PrismaClient } from '../generated/prisma/client';
import { createMessageService, type MessageService } from './message-service';
import { createMessageStore } from './message-store';

export function createMessages(
  prisma: PrismaClient,
  deps: Omit<Parameters<typeof createMessageService>[0], 'store'>,
): MessageService {
  return createMessageService({ store: createMessageStore(prisma), ...deps });
}

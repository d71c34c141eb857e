import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Routes } from '../kernel/routes';
import { principalOf } from './exercise-auth';
import { ExerciseIdParams } from './exercise-schemas';
import type { ExerciseService } from './exercise-service';
import { renderTokenSheet } from './token-sheet';

const TokenSheetBody = z
  .strictObject({
    participants: z
      .array(z.guid({ error: 'must be a participant id (UUID)' }))
      .min(1)
      .max(500)
      .optional()
      .meta({
        description:
          'ids of the participants to print cards for (leave it out for every live participant but the ' +
          'facilitator); each must be a live participant of the exercise: an id that is not a participant of this ' +
          'exercise, or is a revoked participant, is refused',
      }),
  })
  .meta({ id: 'TokenSheetRequest' });

export function registerTokenSheetRoutes(
  routes: Routes,
  deps: { exercises: ExerciseService; auth: RequestHandler[]; publicUrl: string },
): void {
  routes.define({
    method: 'post',
    path: '/api/exercises/:id/token-sheet',
    operationId: 'printTokenSheet',
    summary: 'Issue fresh tokens and print them as sign-in cards (facilitator only)',
    description:
      'Only a hash of each token is stored, so a sheet issues new tokens for the participants named (every live ' +
      'participant but the facilitator when none are named) in one transaction, and their old tokens are refused ' +
      'from then on. The answer is a printable HTML page (A4, `Cache-Control: no-store`): one card per participant ' +
      'with its name, role, country, the exercise’s title, and a sign-in link `<PUBLIC_URL>/#token=<token>` with ' +
      'its QR code. The token is in the URL fragment, which browsers do not send to servers.',
    tags: ['exercises'],
    before: deps.auth,
    params: ExerciseIdParams,
    body: TokenSheetBody,
    status: 200,
    response: z.string().meta({ description: 'the sheet as a self-contained HTML page' }),
    responseMedia: 'text/html',
    errors: [403, 404],
    handler: async ({ params, body, req, res }) => {
      const { exercise, participants } = await deps.exercises.issueTokens(
        principalOf(req),
        params.id,
        body.participants,
      );
      const html = await renderTokenSheet(exercise, participants, deps.publicUrl);
      res.status(200).setHeader('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(html);
      return undefined;
    },
  });
}

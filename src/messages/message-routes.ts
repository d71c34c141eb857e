import type { RequestHandler } from 'express';
import { principalOf } from '../exercises/exercise-auth';
import { ExerciseIdParams } from '../exercises/exercise-schemas';
import type { Routes } from '../kernel/routes';
import {
  ListMessagesQuery,
  MessageIdParams,
  MessageListResponse,
  MessageResponse,
  SendMessageBody,
} from './message-schemas';
import type { MessageService } from './message-service';

const PAUSED = 'Refused with 409 EXERCISE_PAUSED while the facilitator has paused the clock.';

export function registerMessageRoutes(
  routes: Routes,
  deps: { messages: MessageService; auth: RequestHandler[]; act: RequestHandler[] },
): void {
  const { messages, auth, act } = deps;

  routes.define({
    method: 'post',
    path: '/api/exercises/:id/messages',
    operationId: 'sendMessage',
    summary: 'Send an I-24/7 message (a team: an ncb, the gs, the ccf)',
    description:
      'To NCBs (by their country’s code), the gs or the ccf, about a notice, one of its circulation records or a ' +
      'hit the sender sees; a reply (`replyTo`) joins the thread of the message it answers. The sender, the ' +
      'recipients, the facilitator and observers see it; it is told on the stream. ' +
      PAUSED,
    tags: ['messages'],
    before: act,
    params: ExerciseIdParams,
    body: SendMessageBody,
    status: 201,
    response: MessageResponse,
    errors: [403, 404, 409],
    handler: ({ params, body, req }) => messages.send(principalOf(req), params.id, body),
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/messages',
    operationId: 'listMessages',
    summary: 'The messages the caller sent or received (all of them, for the facilitator and observers)',
    tags: ['messages'],
    before: auth,
    params: ExerciseIdParams,
    query: ListMessagesQuery,
    response: MessageListResponse,
    errors: [404],
    handler: async ({ params, query, req }) => ({ items: await messages.list(principalOf(req), params.id, query) }),
  });

  routes.define({
    method: 'get',
    path: '/api/messages/:id',
    operationId: 'getMessage',
    summary: 'A message the caller sent or received, with its read receipts',
    tags: ['messages'],
    before: auth,
    params: MessageIdParams,
    response: MessageResponse,
    errors: [404],
    handler: ({ params, req }) => messages.get(principalOf(req), params.id),
  });

  routes.define({
    method: 'post',
    path: '/api/messages/:id/read',
    operationId: 'readMessage',
    summary: 'Mark a message read (a recipient): its read receipt, at the simulated time',
    description: 'Only the first read of each recipient is kept; reading again changes nothing. ' + PAUSED,
    tags: ['messages'],
    before: act,
    params: MessageIdParams,
    response: MessageResponse,
    errors: [403, 404, 409],
    handler: ({ params, req }) => messages.read(principalOf(req), params.id),
  });
}

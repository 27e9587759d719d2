import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError, isAppError } from '../core/errors.js';
import type { GraphSubscription, GraphSubscriptionApi } from '../notifications/ports.js';
import type { GraphApi } from './graph-api.js';

const Subscription = Compile(
  Type.Object({
    id: Type.String(),
    resource: Type.String(),
    notificationUrl: Type.String(),
    expirationDateTime: Type.String(),
  }),
);

function parse(body: unknown): GraphSubscription {
  if (!Subscription.Check(body)) {
    throw new AppError('GRAPH_INVALID_RESPONSE', {
      message: 'Microsoft Graph answered a subscription request with a body that is not a subscription.',
    });
  }
  const { id, resource, notificationUrl, expirationDateTime } = body;
  return { id, resource, notificationUrl, expirationDateTime };
}

/**
 * Graph's `/subscriptions` on gatehouse's Graph client (https://learn.microsoft.com/graph/api/resources/subscription):
 * create (Graph validates the notification URL before it answers 201), renew by PATCH of expirationDateTime, delete,
 * list (app-only: this app's subscriptions). Errors keep the client's GRAPH_* codes; GRAPH_NOT_FOUND = gone.
 */
export function createGraphSubscriptions(graph: GraphApi): GraphSubscriptionApi {
  return {
    async create(input) {
      return parse((await graph.request('POST', '/subscriptions', { body: input })).body);
    },
    async renew(id, expirationDateTime) {
      const path = `/subscriptions/${encodeURIComponent(id)}`;
      return parse((await graph.request('PATCH', path, { body: { expirationDateTime } })).body);
    },
    async remove(id) {
      try {
        await graph.request('DELETE', `/subscriptions/${encodeURIComponent(id)}`);
      } catch (error) {
        if (!(isAppError(error) && error.code === 'GRAPH_NOT_FOUND')) throw error;
      }
    },
    async list() {
      const found: GraphSubscription[] = [];
      for await (const page of graph.pages('/subscriptions')) found.push(...page.value.map(parse));
      return found;
    },
  };
}

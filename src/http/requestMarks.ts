import type { InternalAxiosRequestConfig } from 'axios'

/**
 * Private marks on an axios request config. Symbol keys never go over the wire, and axios'
 * mergeConfig copies enumerable symbol keys, so a mark survives into `error.config` and into
 * a retry built from it.
 */
const SENT_WITH = Symbol('zustand-auth-session/sentWith')
const RETRIED = Symbol('zustand-auth-session/retried')
const TRANSPORT_REQUEST = Symbol('zustand-auth-session/transportRequest')

/** The token a request carried, and the client's refresh round when it was sent. */
export interface SentWith {
  token: string
  round: number
}

interface Marks {
  [SENT_WITH]?: SentWith
  [RETRIED]?: true
  [TRANSPORT_REQUEST]?: true
}

const marksOf = (config: object) => config as Marks

/** What `createAuthClient` attached to this request, if it attached a token. */
export const sentWithOf = (config: object | undefined): SentWith | undefined =>
  config ? marksOf(config)[SENT_WITH] : undefined

export function markSentWith(config: InternalAxiosRequestConfig, sent: SentWith | undefined) {
  marksOf(config)[SENT_WITH] = sent
}

export const wasRetried = (config: object): boolean => marksOf(config)[RETRIED] === true

/** A copy of `config` marked as the one retry it gets. */
export const asRetry = <T extends object>(config: T): T => ({ ...config, [RETRIED]: true })

/**
 * Requests of `axiosTransport` (refresh, validate, login, logout) are marked so an auth client
 * never treats them as API calls: a 401 from the refresh endpoint answered by a refresh would
 * wait on itself forever (the store's refresh is single-flight).
 */
export const asTransportRequest = <T extends object>(config: T): T => ({
  ...config,
  [TRANSPORT_REQUEST]: true,
})

export const isTransportRequest = (config: object): boolean =>
  marksOf(config)[TRANSPORT_REQUEST] === true

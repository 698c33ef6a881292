import { z } from 'zod'
import { newUserInput } from '@/server/auth/accounts'
import { anyone, errors, json, needs } from './openapi-helpers'

const userRef = { $ref: '#/components/schemas/User' }
const signedInUser = { 200: { description: 'The caller', content: json({ type: 'object', properties: { user: userRef } }) } }
const setsCookie = { description: 'Signed in: the answer sets the httpOnly session cookie', content: json({ type: 'object', properties: { user: userRef } }) }

/**
 * Who is calling, and the browser's session routes. The session routes set or clear a cookie; scripts use
 * `/api/v1/setup` and API tokens instead, but they are here so every route the app serves is in the document.
 */
export function accountPaths() {
  return {
    '/api/v1/me': {
      get: { ...needs('signed-in'), summary: 'The signed-in user (any role)', responses: { ...signedInUser, ...errors(401) } },
    },
    '/api/v1/openapi.json': {
      get: { ...anyone, summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } },
    },
    '/api/auth/setup': {
      post: {
        ...anyone,
        summary: 'First run in the browser: create the owner and sign in (as /api/v1/setup, with a cookie instead of a token)',
        requestBody: { required: true, content: json(z.toJSONSchema(newUserInput, { io: 'input', unrepresentable: 'any' })) },
        responses: { 201: setsCookie, ...errors(400, 409) },
      },
    },
    '/api/auth/sign-in': {
      post: {
        ...anyone,
        summary: 'Sign in with email and password; 401 when they do not match',
        requestBody: { required: true, content: json({ type: 'object', required: ['email', 'password'], properties: { email: { type: 'string' }, password: { type: 'string' } } }) },
        responses: { 200: setsCookie, ...errors(400, 401) },
      },
    },
    '/api/auth/sign-out': {
      post: { ...anyone, summary: 'End the browser session and clear its cookie', responses: { 200: { description: 'Signed out' } } },
    },
  }
}

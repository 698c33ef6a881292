/** Short limits so the brute-force tests run in seconds; set by both entry files before anything reads the environment. */
export const authTestEnv = {
  LOG_LEVEL: 'silent',
  PIPEWRIGHT_SIGN_IN_LOCK_SECONDS: '1',
  PIPEWRIGHT_SIGN_IN_MAX_FAILURES: '5',
  PIPEWRIGHT_SIGN_IN_MAX_FAILURES_PER_CLIENT: '12',
  PIPEWRIGHT_SIGN_IN_WINDOW_MINUTES: '1',
  PIPEWRIGHT_SESSION_IDLE_HOURS: '24',
  PIPEWRIGHT_SESSION_DAYS: '30',
  PIPEWRIGHT_TRUST_PROXY: '0',
}

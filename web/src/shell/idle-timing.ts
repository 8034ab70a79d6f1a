/**
 * When to warn and when to extend, for a server that ends a session after `timeoutSeconds`
 * without a request (HIPAA 164.312(a)(2)(iii), automatic log-off; ONC 170.315(d)(5)).
 */
export function idleTiming(timeoutSeconds: number) {
  return {
    // A minute's warning, or half the time-out when the whole time-out is under two minutes.
    warnAtSecondsLeft: timeoutSeconds < 120 ? timeoutSeconds / 2 : 60,
    // Activity extends the server's timer at most this often, so moving the mouse is not a request storm.
    keepAliveEverySeconds: timeoutSeconds / 3,
  };
}

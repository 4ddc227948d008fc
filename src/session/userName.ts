/**
 * A user name as the user pool compares it. Cognito pools (Scribe's included) ignore case in
 * user names by default, so `Ann` and `ann` are one account: one session, one eviction, one
 * count of refused passwords.
 */
export function userKey(username: string): string {
  return username.toLowerCase();
}

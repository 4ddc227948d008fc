/**
 * What an operator does next when a session waits for them, by session state: the session
 * never names routes, the layers that show its messages add this.
 */
export const operatorNextStep: Readonly<Partial<Record<string, string>>> = {
  'needs-login': 'POST /admin/login',
  'mfa-required': 'POST /admin/mfa',
  'new-password-required': 'POST /admin/password',
  'mfa-unsupported': 'POST /admin/login',
  'login-refused': 'POST /admin/login',
};

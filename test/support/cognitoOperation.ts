/** The operation a Cognito JSON request names in X-Amz-Target (InitiateAuth, GetId, ...). */
export function operationOf(headers: Record<string, string | string[] | undefined>): string {
  return String(headers['x-amz-target'] ?? '').split('.')[1] ?? '';
}

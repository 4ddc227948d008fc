import type { Response } from 'express';

// What the admin-token throttle writes on a response (res.locals) for the route to read. Apart
// from the throttle itself (express-rate-limit), so /readyz can read them without loading it.
const wrongToken = 'wrongAdminToken';
const lockedOutMark = 'adminTokenLockedOut';

/** The address of this request is over its allowance of wrong tokens (after the throttle ran). */
export const lockedOut = (res: Response): boolean => res.locals[lockedOutMark] === true;

/** Mark this request's address as over its allowance (the throttle's handler). */
export const markLockedOut = (res: Response): void => {
  res.locals[lockedOutMark] = true;
};

/** Count this request's token as a guess (it was presented and wrong). */
export const countWrongToken = (res: Response): void => {
  res.locals[wrongToken] = true;
};

/** Whether this request presented a wrong token (the throttle counts only those). */
export const presentedWrongToken = (res: Response): boolean => res.locals[wrongToken] === true;

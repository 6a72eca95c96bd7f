import { isDrydockError } from '../../shared/errors.js';

/** The code and message a promise rejects with; fails the test when it resolves or throws a foreign error. */
export async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isDrydockError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}

import { sesClient } from '../../shared/email/send';

let faults = 0;

/**
 * SES answers these errors in turn, then the real send: injected below the SES client's retry
 * middleware (the deserialize step runs inside its retry loop), so the client's own retries — the
 * one retry layer of a send — see them as they would see SES's answers. `restore()` in a finally.
 */
export function sesAnswers(...errors: Error[]) {
  const client = sesClient();
  const name = `ses-fault-${++faults}`;
  let calls = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      calls++;
      const err = errors.shift();
      if (err) throw err;
      return next(args);
    },
    { step: 'deserialize', name },
  );
  return { calls: () => calls, restore: () => client.middlewareStack.remove(name) };
}

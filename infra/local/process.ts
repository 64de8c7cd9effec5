import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/**
 * Child-process hygiene for the local stack and the test harness. DynamoDB Local is a JVM that
 * happily outlives its parent, so three layers make sure it does not:
 *  1. graceful: the owner calls stop() on SIGINT/SIGTERM;
 *  2. crash: `killOnExit` kills it synchronously in process.on('exit') (uncaught errors, exit());
 *  3. SIGKILL of the owner: a tiny `sh` watchdog polls the owner's pid and kills the child.
 */
export function killOnExit(child: ChildProcess): void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

/** Kill `childPid` once `ownerPid` is gone (covers `kill -9` of the owner). Exits by itself when the child dies. */
export function startWatchdog(childPid: number, ownerPid = process.pid): void {
  const script = 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -9 "$2" 2>/dev/null; exit 0';
  try {
    const dog = spawn('sh', ['-c', script, 'pe-watchdog', String(ownerPid), String(childPid)], { stdio: 'ignore' });
    dog.on('error', () => {}); // no sh: layers 1 and 2 still apply
    dog.unref();
  } catch {
    // best effort
  }
}

function parentOf(pid: number): { ppid: number; args: string } | undefined {
  const res = spawnSync('ps', ['-o', 'ppid=', '-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  const line = res.stdout?.trim();
  if (!line) return undefined;
  const m = /^(\d+)\s+(.*)$/.exec(line);
  return m ? { ppid: Number(m[1]), args: m[2] } : undefined;
}

/**
 * The processes that launched us, up to and including `npm` when we run as an npm script
 * (npm → sh → tsx → node). `kill <npm pid>` (what a process manager does) kills npm and its `sh`
 * but not tsx or us, so the stack watches this chain and shuts down when a link disappears.
 */
export function launcherChain(): number[] {
  const chain: number[] = [];
  let pid = process.ppid;
  const viaNpm = Boolean(process.env.npm_lifecycle_event);
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    chain.push(pid);
    const info = parentOf(pid);
    if (!info) break;
    // Without npm, the direct parent (tsx's CLI) is all there is to watch.
    if (!viaNpm || /(^|[\s/])npm(-cli\.js)?(\s|$)/.test(info.args)) break;
    pid = info.ppid;
  }
  return chain;
}

/** Call `onGone` once any process of `pids` has exited (polled every second; the timer does not keep us alive). */
export function watchPids(pids: number[], onGone: (pid: number) => void): () => void {
  const timer = setInterval(() => {
    for (const pid of pids) {
      try {
        process.kill(pid, 0);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ESRCH') {
          clearInterval(timer);
          onGone(pid);
          return;
        }
      }
    }
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Wait for a child to exit; SIGKILL it after `graceMs`. Resolves once it is really gone. */
export async function stopChild(child: ChildProcess, graceMs = 5000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

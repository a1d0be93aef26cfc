// Not run: type-checked by `npm run check` (tsc --noEmit against dist/*.d.ts),
// so that the README's typed usage keeps compiling against the published types.
import { Client, Continue, Fail, Spawn, Worker, type Json, type Run, type Task } from '..';

const worker = new Worker('node', { server: '127.0.0.1:50051', concurrency: 8 });
worker.task(async (task: Task): Promise<Json | Spawn> => {
  task.addUsage({ promptTokens: 120, completionTokens: 40 });
  const op = task.metadata.op;
  if (op === 'never') throw new Fail('cannot be done', { retryable: false });
  if (op === 'steps' && task.turn < 3) throw new Continue({ done: task.turn });
  if (op === 'fanout') return new Spawn({ n: 1 }, [{ id: 'x', agent: 'node', metadata: { op: 'upper' } }], { join: ['x'] });
  return { summary: task.instructions.slice(0, 100), from: Object.keys(task.inputs).sort() };
});

async function client(): Promise<Run> {
  const c = new Client({ server: '127.0.0.1:50051' });
  const run = await c.createRun({
    goal: 'shout',
    labels: { team: 'a' },
    budget: { maxTokens: 5000 },
    tasks: [{ id: 'a', agent: 'node', instructions: 'hello', metadata: { op: 'upper', n: [1, { deep: true }] } }],
  });
  for await (const e of c.watch(run.id, { timeoutMs: 60_000 })) console.log(e.seq, e.type, e.data);
  const done = await c.wait(run.id);
  const output: Json = done.output;
  console.log(output, done.usage?.promptTokens, done.status === 'RUN_STATUS_COMPLETED');
  return done;
}

void worker.run();
void client();

// One conformance instance: its own OS process (its true pid) running one driver, commanded by the kit over IPC.
import type { Driver, DriverDefinition } from '../driver.js';
import { loadDriverModule } from '../load.js';
import { assertDriver } from '../validate.js';
import { KIT_EVENT, type KitCommand, type KitReply, type ReceivedEvent, isKitPayload } from './messages.js';

let driver: Driver | undefined;
let definition: DriverDefinition | undefined;
const received: ReceivedEvent[] = [];
const states: string[] = [];
let selfEchoes = 0;

const logger = {
  debug: () => {},
  info: () => {},
  warn: (object: object, message?: string) => process.stderr.write(`${message ?? ''} ${JSON.stringify(object)}\n`),
  error: (object: object, message?: string) => process.stderr.write(`${message ?? ''} ${JSON.stringify(object)}\n`),
};

function requireDriver(): Driver {
  if (!driver) throw new Error('no driver yet: "create" must come first');
  return driver;
}

async function handle(command: KitCommand): Promise<KitReply> {
  switch (command.cmd) {
    case 'create': {
      definition = await loadDriverModule(command.moduleUrl);
      const made = definition.create({
        redisUrl: command.redisUrl,
        redisTls: command.redisTls,
        namespace: command.namespace,
        instanceId: undefined,
        logger,
        sink: {
          onEvent: (type, data, source, seq) => {
            if (type === KIT_EVENT && isKitPayload(data)) received.push({ source, seq, tag: data.tag, i: data.i });
          },
          onSelfEcho: () => {
            selfEchoes += 1;
          },
          onState: (state) => {
            states.push(state);
          },
        },
      });
      assertDriver(made, definition, command.moduleUrl);
      driver = made;
      return { ok: true, instanceId: made.instanceId };
    }
    case 'connect': {
      const made = requireDriver();
      await made.connect();
      if (typeof made.instanceId !== 'string' || made.instanceId === '') {
        throw new Error(
          `its instanceId is ${JSON.stringify(made.instanceId)} after connect() resolved: it must be non-empty`,
        );
      }
      const names = definition?.capabilities.namedConnections
        ? (made.connections?.() ?? []).filter((c) => c.role !== 'publisher').map((c) => c.name)
        : undefined;
      return { ok: true, instanceId: made.instanceId, ...(names === undefined ? {} : { subscriberNames: names }) };
    }
    case 'publish': {
      const made = requireDriver();
      const results = await Promise.allSettled(
        Array.from({ length: command.count }, (_, i) => made.publish(KIT_EVENT, { tag: command.tag, i })),
      );
      return {
        ok: true,
        failed: results.filter((result) => result.status === 'rejected').length,
        nextSeq: made.nextSeq,
      };
    }
    case 'report':
      return { ok: true, received: received.splice(0), selfEchoes, states: states.splice(0) };
    case 'close': {
      await requireDriver().close();
      // What still holds the event loop a moment after close(), the IPC channel aside.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const handles = process.getActiveResourcesInfo().filter((name) => name !== 'PipeWrap' && name !== 'TTYWrap');
      return { ok: true, handlesAfterClose: handles };
    }
  }
}

process.on('message', (command: KitCommand) => {
  handle(command).then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});

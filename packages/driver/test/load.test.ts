// Loading a driver module: each accepted form, and a refusal that names everything missing before anything connects.
import { describe, expect, inject, it } from 'vitest';
import { DriverValidationError, checkDriverDefinition, definitionFromModule, loadDriverModule } from '../src/index.js';

const fixture = (name: string) => new URL(`./fixtures/${name}.js`, import.meta.url).href;
const context = () => ({ redisUrl: inject('redisUrl'), redisTls: undefined, namespace: 'load-test' });

describe('loading a driver module', () => {
  it('takes a default-exported definition and checks one unconnected instance', async () => {
    const definition = await loadDriverModule(new URL('../examples/example-driver.js', import.meta.url).href);
    expect(definition).toMatchObject({ apiVersion: 1, name: 'example' });
    await expect(checkDriverDefinition(definition, context(), 'example')).resolves.toBeUndefined();
  });

  it('takes a named createDriver export, its capabilities and scheme beside it, the rest defaulted', async () => {
    const definition = await loadDriverModule(fixture('create-driver-only'), './create-driver-only.js');
    expect(definition.name).toBe('create-driver-only');
    expect(definition.capabilities).toEqual({
      receiverCount: true,
      ownEchoes: false,
      namedConnections: false,
      instanceIdOverride: false,
      atLeastOnce: false,
      sentinel: false,
      cluster: false,
    });
    await expect(checkDriverDefinition(definition, context(), 'x')).resolves.toBeUndefined();
  });

  it('refuses a driver that lacks methods, naming each one', async () => {
    const definition = await loadDriverModule(fixture('lacks-publish'));
    const refusal = checkDriverDefinition(definition, context(), './lacks-publish.js');
    await expect(refusal).rejects.toBeInstanceOf(DriverValidationError);
    await expect(refusal).rejects.toThrow(
      'driver ./lacks-publish.js is refused: its driver lacks publish(), connections() (see docs/drivers.md)',
    );
  });

  it('refuses modules that export no driver, another API version, or unknown capabilities', () => {
    expect(() => definitionFromModule({ something: 1 }, 'm.js')).toThrow(
      'driver m.js is refused: it exports neither a default driver definition nor a createDriver function',
    );
    expect(() =>
      definitionFromModule(
        {
          default: {
            apiVersion: 2,
            name: 'n',
            description: 'd',
            identityScheme: 'i',
            capabilities: { teleport: true },
            create: () => ({}),
          },
        },
        'm.js',
      ),
    ).toThrow(/apiVersion is 2, this harness speaks 1; capabilities.teleport is not a capability/);
  });

  it('says why an import failed', async () => {
    await expect(loadDriverModule(fixture('no-such-file'), './no-such-file.js')).rejects.toThrow(
      /driver \.\/no-such-file\.js is refused: it could not be imported: Cannot find module/,
    );
  });
});

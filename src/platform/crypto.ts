import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encryption at rest. Field values and blobs are sealed with AES-256-GCM under a data key derived
 * (HKDF-SHA256) from the master key; exact look-ups of sealed fields use a keyed HMAC under a second
 * derived key. The master key comes from CHARTROOM_MASTER_KEY or from `master.key` in the data dir,
 * created (mode 0600) at first start.
 */
export interface Keyring {
  seal(plain: string | Buffer): string;
  open(sealed: string): Buffer;
  openText(sealed: string): string;
  /** Binary sealing for blobs: iv (12 bytes) | tag (16) | ciphertext; `aad` is authenticated, not stored. */
  sealBytes(plain: Buffer, aad?: Buffer): Buffer;
  openBytes(sealed: Buffer, aad?: Buffer): Buffer;
  lookupHash(value: string): string;
}

const SEALED_PREFIX = 'v1';

export function loadMasterKey(dataDir: string, masterKeyHex?: string): Buffer {
  if (masterKeyHex) return Buffer.from(masterKeyHex, 'hex');
  const file = join(dataDir, 'master.key');
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`The key file ${file} is not a 256-bit hex key.`);
    return Buffer.from(hex, 'hex');
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

export function createKeyring(masterKey: Buffer): Keyring {
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), label, 32));
  const dataKey = derive('chartroom data key');
  const lookupKey = derive('chartroom lookup key');
  const open = (sealed: string): Buffer => {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== SEALED_PREFIX || !iv || !tag || body === undefined) throw new Error('Not a sealed value.');
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
  };
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return [SEALED_PREFIX, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    open,
    openText: (sealed) => open(sealed).toString('utf8'),
    sealBytes(plain, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
      if (aad) cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    openBytes(sealed, aad) {
      if (sealed.length < 28) throw new Error('Not a sealed value.');
      const decipher = createDecipheriv('aes-256-gcm', dataKey, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      if (aad) decipher.setAAD(aad);
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    },
    lookupHash: (value) => createHmac('sha256', lookupKey).update(value).digest('hex'),
  };
}

/** A random secret for tokens and session ids, URL-safe. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Tokens are stored only as their SHA-256, so a copy of the database grants no session. */
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

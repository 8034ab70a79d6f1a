import { resolve } from 'node:path';
import { z } from 'zod';

/** Every setting Chartroom reads from the environment, with its default. README lists the same table. */
const EnvSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HL7_PORT: z.coerce.number().int().min(0).max(65535).default(2575),
  CHARTROOM_DATA: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  CHARTROOM_MASTER_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 256-bit key)')
    .optional(),
  CHARTROOM_ADMIN_PASSWORD: z.string().min(12).optional(),
  CHARTROOM_IDLE_TIMEOUT_MINUTES: z.coerce.number().positive().default(15),
  CHARTROOM_SESSION_MAX_HOURS: z.coerce.number().positive().default(12),
  CHARTROOM_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).default(5),
  CHARTROOM_LOCKOUT_MINUTES: z.coerce.number().positive().default(15),
  CHARTROOM_AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  CHARTROOM_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).default(900),
  CHARTROOM_EMERGENCY_ACCESS_HOURS: z.coerce.number().positive().default(8),
  CHARTROOM_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  CHARTROOM_MAX_DOCUMENT_BYTES: z.coerce.number().int().min(1024).default(100 * 1024 * 1024),
  CHARTROOM_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  CHARTROOM_MRN_PREFIX: z.string().regex(/^[A-Z]{0,4}$/, 'must be 0-4 capital letters').default('M'),
  CHARTROOM_MRN_SYSTEM: z.string().min(3).default('urn:chartroom:mrn'),
  CHARTROOM_FACILITY_NAME: z.string().min(1).max(100).default('Chartroom Hospital'),
  CHARTROOM_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp://[user:pass@]host:port URL')
    .optional(),
  CHARTROOM_MAIL_FROM: z.string().min(3).max(200).default('Chartroom <records@localhost>'),
  CHARTROOM_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  host: string;
  port: number;
  hl7Port: number;
  dataDir: string;
  databaseUrl?: string;
  masterKeyHex?: string;
  adminPassword?: string;
  idleTimeoutSeconds: number;
  sessionMaxSeconds: number;
  lockoutThreshold: number;
  lockoutSeconds: number;
  authRateLimitPerMinute: number;
  tokenTtlSeconds: number;
  emergencyAccessSeconds: number;
  bodyLimitBytes: number;
  /** The largest document file accepted (upload, new version, FHIR attachment). */
  maxDocumentBytes: number;
  trustProxy: boolean;
  logLevel: string;
  /** Letters before every MRN this installation assigns. */
  mrnPrefix: string;
  /** The assigning authority of our MRNs (FHIR identifier system, HL7 PID-3.4). */
  mrnSystem: string;
  /** The hospital's name, printed on its paperwork. */
  facilityName: string;
  /** Where outgoing e-mail goes (smtp://[user:pass@]host:port); without it, sending e-mail is refused. */
  smtpUrl?: string;
  /** The From address of outgoing e-mail. */
  mailFrom: string;
  /** The base URL put in links sent to people outside (download links); default http://HOST:PORT. */
  publicUrl?: string;
}

export class ConfigError extends Error {}

/** Reads the environment once; a bad value stops the start with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    hl7Port: e.HL7_PORT,
    dataDir: resolve(e.CHARTROOM_DATA),
    databaseUrl: e.DATABASE_URL,
    masterKeyHex: e.CHARTROOM_MASTER_KEY,
    adminPassword: e.CHARTROOM_ADMIN_PASSWORD,
    idleTimeoutSeconds: Math.round(e.CHARTROOM_IDLE_TIMEOUT_MINUTES * 60),
    sessionMaxSeconds: Math.round(e.CHARTROOM_SESSION_MAX_HOURS * 3600),
    lockoutThreshold: e.CHARTROOM_LOCKOUT_THRESHOLD,
    lockoutSeconds: Math.round(e.CHARTROOM_LOCKOUT_MINUTES * 60),
    authRateLimitPerMinute: e.CHARTROOM_AUTH_RATE_LIMIT,
    tokenTtlSeconds: e.CHARTROOM_TOKEN_TTL_SECONDS,
    emergencyAccessSeconds: Math.round(e.CHARTROOM_EMERGENCY_ACCESS_HOURS * 3600),
    bodyLimitBytes: e.CHARTROOM_BODY_LIMIT_BYTES,
    maxDocumentBytes: e.CHARTROOM_MAX_DOCUMENT_BYTES,
    trustProxy: e.CHARTROOM_TRUST_PROXY === 'true',
    logLevel: e.LOG_LEVEL,
    mrnPrefix: e.CHARTROOM_MRN_PREFIX,
    mrnSystem: e.CHARTROOM_MRN_SYSTEM,
    facilityName: e.CHARTROOM_FACILITY_NAME,
    smtpUrl: e.CHARTROOM_SMTP_URL,
    mailFrom: e.CHARTROOM_MAIL_FROM,
    publicUrl: e.CHARTROOM_PUBLIC_URL?.replace(/\/+$/, ''),
  };
}

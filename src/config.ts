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
  CHARTROOM_RELEASE_QUALITY_CHECK: z.enum(['true', 'false']).default('true'),
  CHARTROOM_MRN_PREFIX: z.string().regex(/^[A-Z]{0,4}$/, 'must be 0-4 capital letters').default('M'),
  CHARTROOM_MRN_SYSTEM: z.string().min(3).default('urn:chartroom:mrn'),
  CHARTROOM_FACILITY_NAME: z.string().min(1).max(100).default('Chartroom Hospital'),
  // 45 CFR 164.524(b)(2): 30 days; a state rule may shorten it, never lengthen it.
  CHARTROOM_RELEASE_ACCESS_DAYS: z.coerce.number().int().min(1).max(30).default(30),
  // 45 CFR 164.528(c)(2): a cost-based fee for a second accounting within 12 months, in dollars.
  CHARTROOM_ACCOUNTING_FEE: z.coerce.number().min(0, 'must be 0 or more').max(10000).default(15),
  CHARTROOM_BLOB_STORE: z.enum(['file', 's3']).default('file'),
  CHARTROOM_S3_ENDPOINT: z.url().optional(),
  CHARTROOM_S3_BUCKET: z.string().min(3).max(63).optional(),
  CHARTROOM_S3_PREFIX: z.string().max(200).default(''),
  CHARTROOM_S3_REGION: z.string().min(1).default('us-east-1'),
  CHARTROOM_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  CHARTROOM_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  CHARTROOM_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
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
  /** Days to act on a request for records (a state's rule, at most the federal 30). */
  releaseAccessDays: number;
  /** The cost-based fee, in cents, for a later accounting of disclosures within 12 months (the first is free). */
  accountingFeeCents: number;
  /** A second person checks every page of a release packet before it goes (default on). */
  releaseQualityCheck: boolean;
  /** Where document content is kept: files under the data dir, or an S3-compatible bucket. */
  blobStore: BlobStoreConfig;
  /** Where outgoing e-mail goes (smtp://[user:pass@]host:port); without it, sending e-mail is refused. */
  smtpUrl?: string;
  /** The From address of outgoing e-mail. */
  mailFrom: string;
  /** The base URL put in links sent to people outside (download links); default http://HOST:PORT. */
  publicUrl?: string;
}

export type BlobStoreConfig =
  | { kind: 'file' }
  | {
      kind: 's3';
      bucket: string;
      prefix: string;
      /** Unset: AWS S3 of the region. */
      endpoint?: string;
      region: string;
      /** Unset: the SDK's usual credential chain (AWS_* variables, the instance's role). */
      credentials?: { accessKeyId: string; secretAccessKey: string };
      forcePathStyle: boolean;
    };

export class ConfigError extends Error {}

/** Reads the environment once; a bad value stops the start with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.CHARTROOM_BLOB_STORE === 's3' && !e.CHARTROOM_S3_BUCKET) throw new ConfigError('Invalid configuration:\n  CHARTROOM_S3_BUCKET: required when CHARTROOM_BLOB_STORE=s3');
  if (!e.CHARTROOM_S3_ACCESS_KEY_ID !== !e.CHARTROOM_S3_SECRET_ACCESS_KEY) {
    throw new ConfigError('Invalid configuration:\n  CHARTROOM_S3_ACCESS_KEY_ID and CHARTROOM_S3_SECRET_ACCESS_KEY: set both or neither');
  }
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
    releaseAccessDays: e.CHARTROOM_RELEASE_ACCESS_DAYS,
    accountingFeeCents: Math.round(e.CHARTROOM_ACCOUNTING_FEE * 100),
    releaseQualityCheck: e.CHARTROOM_RELEASE_QUALITY_CHECK === 'true',
    blobStore: e.CHARTROOM_BLOB_STORE === 's3'
      ? {
          kind: 's3', bucket: e.CHARTROOM_S3_BUCKET!, prefix: e.CHARTROOM_S3_PREFIX, endpoint: e.CHARTROOM_S3_ENDPOINT, region: e.CHARTROOM_S3_REGION,
          credentials: e.CHARTROOM_S3_ACCESS_KEY_ID ? { accessKeyId: e.CHARTROOM_S3_ACCESS_KEY_ID, secretAccessKey: e.CHARTROOM_S3_SECRET_ACCESS_KEY! } : undefined,
          forcePathStyle: e.CHARTROOM_S3_FORCE_PATH_STYLE === 'true',
        }
      : { kind: 'file' },
    smtpUrl: e.CHARTROOM_SMTP_URL,
    mailFrom: e.CHARTROOM_MAIL_FROM,
    publicUrl: e.CHARTROOM_PUBLIC_URL?.replace(/\/+$/, ''),
  };
}

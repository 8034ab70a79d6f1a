import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, apiRequest, onSignedOut, setCsrfToken, type SignedOutReason } from '../api/client';
import type { SessionInfo } from '../api/types';

export const INACTIVITY_MESSAGE = 'You were signed out after a period of inactivity.';
const SESSION_ENDED_MESSAGE = 'Your session has ended. Please sign in again.';
const SIGNED_OUT_MESSAGE = 'You have signed out.';

export type SignOutCause = 'user' | 'inactivity';

/** How the last session ended, so the log-in page can say why and offer the way back. */
export interface SignedOut {
  message: string | null;
  cause: SignOutCause | 'ended';
  /** Whose session it was; only the same person is sent back to the page they were on. */
  userId: string | undefined;
}

interface SessionContextValue {
  /** Undefined while the first look-up runs, null when nobody is signed in. */
  session: SessionInfo | null | undefined;
  /** Why the last session ended, shown on the log-in page. */
  signedOut: SignedOut | null;
  /** Set when the server could not be asked at start-up. */
  startupError: ApiError | null;
  retryStartup(): void;
  setSession(session: SessionInfo): void;
  signOut(cause: SignOutCause): Promise<void>;
  hasPermission(permission: string): boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSessionState] = useState<SessionInfo | null | undefined>(undefined);
  const [signedOut, setSignedOut] = useState<SignedOut | null>(null);
  const [startupError, setStartupError] = useState<ApiError | null>(null);
  const [startupAttempt, setStartupAttempt] = useState(0);
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const endSession = useCallback(
    (cause: SignedOut['cause'], message: string | null) => {
      setCsrfToken(undefined);
      setSignedOut({ cause, message, userId: sessionRef.current?.user.id });
      setSessionState(null);
      queryClient.clear();
    },
    [queryClient],
  );

  useEffect(() => {
    let cancelled = false;
    apiRequest<SessionInfo>('/api/auth/session')
      .then((info) => {
        if (cancelled) return;
        setCsrfToken(info.csrfToken);
        setSessionState(info);
        setStartupError(null);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 401) {
          // The signed-out listener below has already said why, if there is anything to say.
          setSessionState((current) => (current === undefined ? null : current));
        } else {
          setStartupError(error instanceof ApiError ? error : new ApiError({ status: 0, detail: String(error) }));
        }
      });
    return () => {
      cancelled = true;
    };
  }, [startupAttempt]);

  useEffect(
    () =>
      onSignedOut((reason: SignedOutReason) => {
        if (reason === 'session-expired') endSession('inactivity', INACTIVITY_MESSAGE);
        else endSession('ended', sessionRef.current ? SESSION_ENDED_MESSAGE : null);
      }),
    [endSession],
  );

  const setSession = useCallback((info: SessionInfo) => {
    setCsrfToken(info.csrfToken);
    setSessionState(info);
    setSignedOut(null);
  }, []);

  const signOut = useCallback(
    async (cause: SignOutCause) => {
      try {
        await apiRequest<void>('/api/auth/logout', { method: 'POST' });
      } catch {
        // The session may already be gone on the server; the person is signed out either way.
      }
      endSession(cause, cause === 'inactivity' ? INACTIVITY_MESSAGE : SIGNED_OUT_MESSAGE);
    },
    [endSession],
  );

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      signedOut,
      startupError,
      retryStartup: () => {
        setStartupError(null);
        setStartupAttempt((n) => n + 1);
      },
      setSession,
      signOut,
      hasPermission: (permission: string) => session?.stage === 'active' && session.permissions.includes(permission),
    }),
    [session, signedOut, startupError, setSession, signOut],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside SessionProvider');
  return value;
}

/** The signed-in, active session; only for components rendered behind RequireActiveSession. */
export function useActiveSession(): SessionInfo {
  const { session } = useSession();
  if (!session || session.stage !== 'active') throw new Error('No active session');
  return session;
}

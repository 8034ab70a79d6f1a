import { Button, Group, Modal, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiRequest, onServerContact } from '../api/client';
import type { SessionInfo } from '../api/types';
import { useSession } from '../session/SessionProvider';
import { idleTiming } from './idle-timing';

const ACTIVITY_EVENTS = ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;
const TICK_MS = 500;

/**
 * Signs the person out when they leave Chartroom alone: warns before the server's idle time-out,
 * keeps the session alive while they work, and offers "Stay signed in".
 */
export function IdleLogoff({ timeoutSeconds }: { timeoutSeconds: number }) {
  const { setSession, signOut } = useSession();
  const { warnAtSecondsLeft, keepAliveEverySeconds } = idleTiming(timeoutSeconds);
  const lastContact = useRef(Date.now());
  const lastActivity = useRef(0);
  const keepAliveInFlight = useRef(false);
  const signingOut = useRef(false);
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const warning = secondsLeft !== null;
  const warningRef = useRef(warning);
  warningRef.current = warning;

  const keepAlive = useCallback(async () => {
    if (keepAliveInFlight.current) return;
    keepAliveInFlight.current = true;
    try {
      setSession(await apiRequest<SessionInfo>('/api/auth/keep-alive', { method: 'POST' }));
    } catch {
      // A 401 has already signed the person out; anything else is retried on the next activity.
    } finally {
      keepAliveInFlight.current = false;
    }
  }, [setSession]);

  // Reading the session on page load does not extend it (docs/api.md), so the server's clock may be
  // further along than ours: opening the shell counts as activity and resets both.
  useEffect(() => {
    void keepAlive();
  }, [keepAlive]);

  useEffect(
    () =>
      onServerContact((at) => {
        lastContact.current = Math.max(lastContact.current, at);
      }),
    [],
  );

  useEffect(() => {
    const recordActivity = () => {
      // While the warning shows, only the button counts: a stray mouse movement is not an answer.
      if (!warningRef.current) lastActivity.current = Date.now();
    };
    for (const event of ACTIVITY_EVENTS) window.addEventListener(event, recordActivity, { passive: true, capture: true });
    return () => {
      for (const event of ACTIVITY_EVENTS) window.removeEventListener(event, recordActivity, { capture: true });
    };
  }, []);

  useEffect(() => {
    const tick = () => {
      if (signingOut.current) return;
      const now = Date.now();
      const sinceContact = (now - lastContact.current) / 1000;
      const left = timeoutSeconds - sinceContact;
      if (left <= 0) {
        signingOut.current = true;
        setSecondsLeft(null);
        void signOut('inactivity');
        return;
      }
      if (!warningRef.current && lastActivity.current > lastContact.current && sinceContact >= keepAliveEverySeconds) {
        void keepAlive();
      }
      setSecondsLeft(left <= warnAtSecondsLeft ? Math.ceil(left) : null);
    };
    const timer = window.setInterval(tick, TICK_MS);
    return () => window.clearInterval(timer);
  }, [timeoutSeconds, warnAtSecondsLeft, keepAliveEverySeconds, keepAlive, signOut]);

  const staySignedIn = () => {
    lastActivity.current = Date.now();
    void keepAlive();
  };

  return (
    <Modal opened={warning} onClose={staySignedIn} title="Are you still there?" centered withCloseButton={false}>
      <Text mb="md">
        You will be signed out in {secondsLeft ?? 0} {secondsLeft === 1 ? 'second' : 'seconds'} because Chartroom has not been
        used for a while.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={() => void signOut('user')}>
          Sign out now
        </Button>
        <Button onClick={staySignedIn} data-autofocus>
          Stay signed in
        </Button>
      </Group>
    </Modal>
  );
}

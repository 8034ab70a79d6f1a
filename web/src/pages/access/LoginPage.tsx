import { Button, Text } from '@mantine/core';
import { useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { MfaEnrolmentConfirmation } from '../../api/types';
import { useSession } from '../../session/SessionProvider';
import { AuthLayout } from './AuthLayout';
import { ChangePasswordForm } from './ChangePasswordForm';
import { MfaCodeForm } from './MfaCodeForm';
import { MfaEnrolmentPanel } from './MfaEnrolmentPanel';
import { RecoveryCodes } from './RecoveryCodes';
import { SignInForm } from './SignInForm';

/** Where to go once signed in: the page a timed-out person was on, if they are the same person. */
export interface ReturnTo {
  from: string;
  userId?: string;
}

/** Signing in, step by step, as the session's stage asks (docs/api.md, "Session stages"). */
export function LoginPage() {
  const { session, setSession, signOut } = useSession();
  const location = useLocation();
  // The codes are shown before the session becomes active, or the shell would replace them at once.
  const [confirmed, setConfirmed] = useState<MfaEnrolmentConfirmation | null>(null);

  if (confirmed) {
    return (
      <AuthLayout title="Save your recovery codes" width={480}>
        <RecoveryCodes
          codes={confirmed.recoveryCodes}
          onDone={() => {
            setSession(confirmed.session);
            setConfirmed(null);
          }}
        />
      </AuthLayout>
    );
  }

  if (!session) return <SignInForm />;

  const startOver = (
    <Button variant="subtle" onClick={() => void signOut('user')}>
      Cancel and sign out
    </Button>
  );

  switch (session.stage) {
    case 'active': {
      const returnTo = location.state as ReturnTo | null;
      const target = returnTo?.from && (!returnTo.userId || returnTo.userId === session.user.id) ? returnTo.from : '/';
      return <Navigate to={target === '/login' ? '/' : target} replace />;
    }
    case 'password_change':
      return (
        <AuthLayout title="Change your password">
          <Text>
            {session.user.displayName}, you need to choose a new password before you continue. Enter the temporary password you were
            given as your current password.
          </Text>
          <ChangePasswordForm username={session.user.username} submitLabel="Change password" onChanged={setSession} />
          {startOver}
        </AuthLayout>
      );
    case 'mfa_enrolment':
      return (
        <AuthLayout title="Set up two-step verification" width={480}>
          <Text>Your role needs a second step when you sign in: a code from an authenticator app on your phone.</Text>
          <MfaEnrolmentPanel onConfirmed={setConfirmed} />
          {startOver}
        </AuthLayout>
      );
    case 'mfa':
      return (
        <AuthLayout title="Enter your verification code">
          <MfaCodeForm onVerified={setSession} />
          {startOver}
        </AuthLayout>
      );
  }
}

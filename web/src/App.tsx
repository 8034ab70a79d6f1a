import { Button, Center, Loader, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { PERMISSIONS } from './api/permissions';
import { ProblemAlert } from './components/ProblemAlert';
import { AccountPage } from './pages/access/AccountPage';
import { EmergencyAccessReviewPage } from './pages/access/EmergencyAccessReviewPage';
import { LoginPage } from './pages/access/LoginPage';
import { UsersPage } from './pages/access/UsersPage';
import { AuditLogPage } from './pages/audit/AuditLogPage';
import { AdmitPage } from './pages/encounters/AdmitPage';
import { CensusPage } from './pages/encounters/CensusPage';
import { VisitPage } from './pages/encounters/VisitPage';
import { ComingSoonPage } from './pages/home/ComingSoonPage';
import { DocumentPage } from './pages/documents/DocumentPage';
import { IndexingQueuePage } from './pages/documents/scanning/IndexingQueuePage';
import { ScanningPage } from './pages/documents/scanning/ScanningPage';
import { InterfaceMonitorPage } from './pages/interfaces/InterfaceMonitorPage';
import { ForbiddenPage } from './pages/home/ForbiddenPage';
import { HomePage } from './pages/home/HomePage';
import { NotFoundPage } from './pages/home/NotFoundPage';
import { DuplicatesPage } from './pages/patients/DuplicatesPage';
import { EditPatientPage } from './pages/patients/EditPatientPage';
import { MergePage } from './pages/patients/MergePage';
import { PatientHistoryPage } from './pages/patients/PatientHistoryPage';
import { PatientSearchPage } from './pages/patients/PatientSearchPage';
import { PatientSummaryPage } from './pages/patients/PatientSummaryPage';
import { RegisterPatientPage } from './pages/patients/RegisterPatientPage';
import { ReferenceDataPage } from './pages/reference/ReferenceDataPage';
import { ReleaseDashboardPage } from './pages/release/ReleaseDashboardPage';
import { ReleaseIntakePage } from './pages/release/ReleaseIntakePage';
import { ReleaseQueuePage } from './pages/release/ReleaseQueuePage';
import { ReleaseRequestPage } from './pages/release/ReleaseRequestPage';
import { AccountingPage } from './pages/release/disclosures/AccountingPage';
import { SuspensionsPage } from './pages/release/disclosures/SuspensionsPage';
import { AmendmentPage } from './pages/release/amendments/AmendmentPage';
import { AmendmentQueuePage } from './pages/release/amendments/AmendmentQueuePage';
import { FeeSchedulePage } from './pages/release/fees/FeeSchedulePage';
import { LegalHoldsPage } from './pages/documents/retention/LegalHoldsPage';
import { RetentionPage } from './pages/documents/retention/RetentionPage';
import { DeliveryPage } from './pages/release/delivery/DeliveryPage';
import { PublicDownloadPage } from './pages/release/delivery/PublicDownloadPage';
import { useSession } from './session/SessionProvider';
import type { ReturnTo } from './pages/access/LoginPage';
import { AppLayout } from './shell/AppLayout';
import { NAVIGATION } from './shell/navigation';

export function App() {
  const { session, startupError, retryStartup } = useSession();

  if (startupError) {
    return (
      <main>
        <Center mih="100vh" p="md">
          <Stack maw={480}>
            <Title order={1}>Chartroom is not answering</Title>
            <ProblemAlert error={startupError} />
            <Button onClick={retryStartup}>Try again</Button>
          </Stack>
        </Center>
      </main>
    );
  }
  if (session === undefined) {
    return (
      <main>
        <Center mih="100vh">
          <Loader role="status" aria-label="Loading Chartroom" />
        </Center>
      </main>
    );
  }

  const comingSoon = NAVIGATION.flatMap((section) => section.items).filter((item) => item.comingSoon);

  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* A recipient outside opens a secure download link without signing in. */}
      <Route path="/download/:token" element={<PublicDownloadPage />} />
      <Route
        element={
          <RequireActiveSession>
            <AppLayout />
          </RequireActiveSession>
        }
      >
        <Route index element={<HomePage />} />
        {comingSoon.map((item) => (
          <Route key={item.path} path={item.path} element={<ComingSoonPage title={item.label} purpose={item.comingSoon ?? ''} />} />
        ))}
        <Route path="/patients" element={<RequirePermission permission={PERMISSIONS.patientsRead} page={<PatientSearchPage />} />} />
        <Route path="/patients/new" element={<RequirePermission permission={PERMISSIONS.patientsWrite} page={<RegisterPatientPage />} />} />
        <Route path="/patients/:id" element={<RequirePermission permission={PERMISSIONS.patientsRead} page={<PatientSummaryPage />} />} />
        <Route path="/patients/:id/edit" element={<RequirePermission permission={PERMISSIONS.patientsWrite} page={<EditPatientPage />} />} />
        <Route path="/patients/:id/history" element={<RequirePermission permission={PERMISSIONS.patientsRead} page={<PatientHistoryPage />} />} />
        <Route path="/patients/:id/admit" element={<RequirePermission permission={PERMISSIONS.encountersWrite} page={<AdmitPage />} />} />
        <Route path="/encounters/:id" element={<RequirePermission permission={PERMISSIONS.encountersRead} page={<VisitPage />} />} />
        <Route path="/documents/:id" element={<RequirePermission permission={PERMISSIONS.documentsRead} page={<DocumentPage />} />} />
        <Route path="/census" element={<RequirePermission permission={PERMISSIONS.encountersRead} page={<CensusPage />} />} />
        <Route path="/scanning" element={<RequirePermission permission={PERMISSIONS.documentsWrite} page={<ScanningPage />} />} />
        <Route path="/indexing" element={<RequirePermission permission={PERMISSIONS.documentsWrite} page={<IndexingQueuePage />} />} />
        <Route path="/reference-data" element={<RequirePermission permission={PERMISSIONS.referenceDataManage} page={<ReferenceDataPage />} />} />
        <Route path="/duplicates" element={<RequirePermission permission={PERMISSIONS.patientsMerge} page={<DuplicatesPage />} />} />
        <Route path="/duplicates/merge" element={<RequirePermission permission={PERMISSIONS.patientsMerge} page={<MergePage />} />} />
        <Route path="/release" element={<RequirePermission permission={PERMISSIONS.releaseRead} page={<ReleaseQueuePage />} />} />
        <Route path="/release/new" element={<RequirePermission permission={PERMISSIONS.releaseWrite} page={<ReleaseIntakePage />} />} />
        <Route path="/release/dashboard" element={<RequirePermission permission={PERMISSIONS.releaseRead} page={<ReleaseDashboardPage />} />} />
        <Route path="/release/:id" element={<RequirePermission permission={PERMISSIONS.releaseRead} page={<ReleaseRequestPage />} />} />
        <Route path="/release/accountings/:id" element={<RequirePermission permission={PERMISSIONS.releaseRead} page={<AccountingPage />} />} />
        <Route path="/release/amendments" element={<RequirePermission permission={PERMISSIONS.releaseRead} page={<AmendmentQueuePage />} />} />
        <Route path="/release/amendments/:id" element={<RequirePermission permission={PERMISSIONS.releaseRead} page={<AmendmentPage />} />} />
        <Route path="/release/suspensions" element={<RequirePermission permission={PERMISSIONS.releaseReview} page={<SuspensionsPage />} />} />
        <Route path="/release/fee-schedule" element={<RequirePermission permission={PERMISSIONS.releaseReview} page={<FeeSchedulePage />} />} />
        <Route path="/retention" element={<RequirePermission permission={PERMISSIONS.documentsWrite} page={<RetentionPage />} />} />
        <Route path="/legal-holds" element={<RequirePermission permission={PERMISSIONS.documentsHold} page={<LegalHoldsPage />} />} />
        <Route path="/release/delivery" element={<RequirePermission permission={PERMISSIONS.releaseWrite} page={<DeliveryPage />} />} />
        <Route path="/audit" element={<RequirePermission permission={PERMISSIONS.auditRead} page={<AuditLogPage />} />} />
        <Route
          path="/emergency-access"
          element={<RequirePermission permission={PERMISSIONS.emergencyAccessReview} page={<EmergencyAccessReviewPage />} />}
        />
        <Route path="/users" element={<RequirePermission permission={PERMISSIONS.usersManage} page={<UsersPage />} />} />
        <Route path="/interfaces" element={<RequirePermission permission={PERMISSIONS.interfacesManage} page={<InterfaceMonitorPage />} />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

function RequireActiveSession({ children }: { children: ReactNode }) {
  const { session, signedOut } = useSession();
  const location = useLocation();
  if (session?.stage !== 'active') {
    // After "Sign out" the next person starts afresh; after a time-out, the same person returns here.
    const state: ReturnTo | undefined =
      signedOut?.cause === 'user' ? undefined : { from: `${location.pathname}${location.search}`, userId: signedOut?.userId };
    return <Navigate to="/login" replace state={state} />;
  }
  return children;
}

function RequirePermission({ permission, page }: { permission: string; page: ReactNode }) {
  const { hasPermission } = useSession();
  return hasPermission(permission) ? page : <ForbiddenPage />;
}

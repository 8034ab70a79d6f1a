import { Anchor, Badge, Button, Group, Loader, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useEffect, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PERMISSIONS } from '../../api/permissions';
import { usePatientSearch, type PatientSearchResult } from '../../api/patients';
import { PageTitle } from '../../components/PageTitle';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { useSession } from '../../session/SessionProvider';
import { formatDay, patientName, sexLabel } from './patient-format';

const RESULTS_ID = 'patient-search-results';
const rowId = (index: number) => `patient-result-${index}`;

/**
 * The registration desk's first step: one box for whatever the clerk has (name, MRN, birth date,
 * phone), Enter to search, arrow keys to choose a result and Enter to open it, all without the mouse.
 * The search is kept in the address (?q=), so Back returns to the same results.
 */
export function PatientSearchPage() {
  const navigate = useNavigate();
  const { hasPermission } = useSession();
  const [params, setParams] = useSearchParams();
  const applied = params.get('q') ?? '';
  const [text, setText] = useState(applied);
  const [highlighted, setHighlighted] = useState(-1);
  const search = usePatientSearch(applied);
  const results = search.data ?? [];

  useEffect(() => setHighlighted(-1), [applied, search.data]);

  const open = (result: PatientSearchResult) => void navigate(`/patients/${encodeURIComponent(result.id)}`);

  const submit = () => {
    const typed = text.trim();
    // Enter on a chosen result opens it; otherwise Enter searches for what is typed.
    if (typed === applied && highlighted >= 0 && results[highlighted]) return open(results[highlighted]);
    if (typed === applied) void search.refetch();
    else setParams(typed ? { q: typed } : {});
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (results.length === 0) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setHighlighted((i) => Math.min(i + 1, results.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setHighlighted((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Escape') {
      setHighlighted(-1);
    }
  };

  useEffect(() => {
    if (highlighted >= 0) document.getElementById(rowId(highlighted))?.scrollIntoView({ block: 'nearest' });
  }, [highlighted]);

  const chosen = highlighted >= 0 ? results[highlighted] : undefined;

  return (
    <Stack gap="md">
      <PageTitle>Patients</PageTitle>
      <Group align="flex-end" justify="space-between" gap="sm">
        <form
          role="search"
          aria-label="Patients"
          style={{ flex: '1 1 28rem', maxWidth: '44rem' }}
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Group align="flex-end" gap="sm" wrap="nowrap">
            <TextInput
              label="Search patients"
              description="A name (“family”, “family, given” or “given family”), with a birth date to narrow it; an MRN, also a retired one; a birth date (MM/DD/YYYY or YYYY-MM-DD), with a postal code to narrow it; a phone number; a postal code; or the last four of the SSN with the birth date (“1234 04/12/1958”). Up and down arrows choose a result; Enter opens it."
              placeholder="Name, MRN, birth date, phone, SSN last four and birth date…"
              autoFocus
              autoComplete="off"
              style={{ flex: 1 }}
              value={text}
              onChange={(event) => setText(event.currentTarget.value)}
              onKeyDown={onKeyDown}
              aria-controls={results.length > 0 ? RESULTS_ID : undefined}
              aria-activedescendant={chosen ? rowId(highlighted) : undefined}
            />
            <Button type="submit" loading={search.isFetching}>
              Search
            </Button>
          </Group>
        </form>
        {hasPermission(PERMISSIONS.patientsWrite) && (
          <Button component={Link} to="/patients/new" variant="outline">
            Register new patient
          </Button>
        )}
      </Group>

      <ProblemAlert error={search.error} />
      <VisuallyHidden role="status" aria-live="polite">
        {chosen ? `Result ${highlighted + 1} of ${results.length}: ${patientName(chosen)}, MRN ${chosen.mrn}, born ${formatDay(chosen.birthDate)}. Press Enter to open.` : ''}
      </VisuallyHidden>

      {applied === '' ? (
        <Text c="dimmed">Type what you know about the patient and press Enter.</Text>
      ) : search.isPending ? (
        <Loader role="status" aria-label="Searching" />
      ) : results.length === 0 && !search.error ? (
        <Text role="status">
          No patient matches “{applied}”. Check the spelling, try fewer words, or search by birth date or MRN before registering a new
          patient.
        </Text>
      ) : (
        results.length > 0 && (
          <>
            <Text size="sm" role="status">
              {results.length} {results.length === 1 ? 'patient matches' : 'patients match'} “{applied}”.
            </Text>
            <ScrollableTable label="Search results" minWidth={900}>
              <Table highlightOnHover aria-label="Search results" id={RESULTS_ID} data-testid="patient-results">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">MRN</Table.Th>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Birth date (age)</Table.Th>
                    <Table.Th scope="col">Sex</Table.Th>
                    <Table.Th scope="col">Postal code</Table.Th>
                    <Table.Th scope="col">Notes</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {results.map((result, index) => (
                    <ResultRow key={result.id} result={result} index={index} selected={index === highlighted} onOpen={() => open(result)} />
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollableTable>
          </>
        )
      )}
    </Stack>
  );
}

function ResultRow({ result, index, selected, onOpen }: { result: PatientSearchResult; index: number; selected: boolean; onOpen(): void }) {
  return (
    <Table.Tr
      id={rowId(index)}
      aria-selected={selected}
      data-testid={`patient-result-${result.mrn}`}
      onClick={onOpen}
      style={{
        cursor: 'pointer',
        background: selected ? 'var(--mantine-color-blue-1)' : undefined,
        outline: selected ? '2px solid var(--mantine-color-blue-8)' : undefined,
        outlineOffset: -2,
      }}
    >
      <Table.Td>
        <Anchor component={Link} to={`/patients/${encodeURIComponent(result.id)}`} onClick={(event) => event.stopPropagation()} fw={600}>
          {result.mrn}
        </Anchor>
      </Table.Td>
      <Table.Td>{patientName(result)}</Table.Td>
      <Table.Td>
        {formatDay(result.birthDate)} ({result.age} {result.age === 1 ? 'year' : 'years'})
      </Table.Td>
      <Table.Td>{sexLabel(result.sex)}</Table.Td>
      <Table.Td>{result.postalCode ?? ''}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          {result.deceased && <Badge color="gray.9" variant="filled">Deceased</Badge>}
          {result.restricted && <Badge color="red.9" variant="filled">Restricted</Badge>}
          {result.vip && <Badge color="violet.9" variant="filled">VIP</Badge>}
          {result.matchedOn.length > 0 && (
            <Text size="xs" c="dimmed">
              Matched on {result.matchedOn.join(', ')}
            </Text>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

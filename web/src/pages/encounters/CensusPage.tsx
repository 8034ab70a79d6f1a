import { Anchor, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useCensus, type CensusOccupant } from '../../api/encounters';
import { PageTitle } from '../../components/PageTitle';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { formatCompactDateTime, formatDateTime, formatFullTime } from '../../components/time';
import { formatDay } from '../patients/patient-format';
import { CLASS_LABELS } from './encounter-codes';
import { StatusBadge } from './VisitsSection';
import { WhenField } from './visit-fields';
import { fromLocalInput, toLocalInput } from './visit-format';

/**
 * The census board: how many patients each unit holds at a moment (now unless another is chosen),
 * and, for the unit chosen, who is in which room and bed. The moment and the unit live in the
 * address, so the board can be bookmarked and the Back button returns to it.
 */
export function CensusPage() {
  const [search, setSearch] = useSearchParams();
  const at = search.get('at') ?? undefined;
  const unit = search.get('unit') ?? undefined;
  const census = useCensus(at, unit);
  const [typed, setTyped] = useState(at ? toLocalInput(new Date(at)) : toLocalInput());
  const [typedError, setTypedError] = useState<string>();

  const choose = (next: { at?: string; unit?: string }) => {
    const params = new URLSearchParams();
    if (next.at) params.set('at', next.at);
    if (next.unit) params.set('unit', next.unit);
    setSearch(params);
  };
  const show = (event: FormEvent) => {
    event.preventDefault();
    const instant = fromLocalInput(typed);
    setTypedError(instant ? undefined : 'Give a date and time.');
    if (instant) choose({ at: instant, unit });
  };

  return (
    <Stack gap="md">
      <PageTitle>Census</PageTitle>
      <Paper withBorder p="md" component="form" aria-label="Census moment" onSubmit={show} noValidate>
        <Group align="flex-end" gap="sm">
          <WhenField label="Census at" value={typed} error={typedError} onChange={setTyped} />
          <Button type="submit">Show census</Button>
          {at && (
            <Button
              variant="default"
              onClick={() => {
                setTyped(toLocalInput());
                choose({ unit });
              }}
            >
              Now
            </Button>
          )}
        </Group>
      </Paper>
      <ProblemAlert error={census.error} />
      {census.isPending && <Loader role="status" aria-label="Loading the census" />}
      {census.data && (
        <>
          <Text>
            Patients in house at <strong>{formatDateTime(census.data.at)}</strong>
            {at ? '' : ' (now)'}.
          </Text>
          <Paper withBorder p="md" component="section" aria-labelledby="census-units">
            <Title order={2} size="h4" id="census-units" mb="sm">
              Units
            </Title>
            {census.data.units.length === 0 ? (
              <Text c="dimmed">No patients in house at this time.</Text>
            ) : (
              <ScrollableTable label="Units table" minWidth={480}>
                <Table striped data-testid="census-units">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Unit</Table.Th>
                      <Table.Th scope="col">Occupied</Table.Th>
                      <Table.Th scope="col">On leave</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {census.data.units.map((u) => (
                      <Table.Tr key={u.unit} data-unit={u.unit}>
                        <Table.Th scope="row">
                          <Button
                            variant={u.unit === unit ? 'filled' : 'subtle'}
                            size="compact-sm"
                            aria-pressed={u.unit === unit}
                            onClick={() => choose({ at, unit: u.unit })}
                          >
                            {u.name ? `${u.unit} — ${u.name}` : u.unit}
                          </Button>
                        </Table.Th>
                        <Table.Td>{u.occupied}</Table.Td>
                        <Table.Td>{u.onLeave}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollableTable>
            )}
          </Paper>
          {unit && census.data.unit === unit && <Occupants unit={unit} occupants={census.data.occupants} />}
        </>
      )}
    </Stack>
  );
}

function Occupants({ unit, occupants }: { unit: string; occupants: CensusOccupant[] }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="census-patients">
      <Title order={2} size="h4" id="census-patients" mb="sm">
        Patients in {unit}
      </Title>
      {occupants.length === 0 ? (
        <Text c="dimmed">No patients in this unit at this time.</Text>
      ) : (
        <ScrollableTable label={`Patients in ${unit}, table`} minWidth={900}>
          <Table striped data-testid="census-patients">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Room</Table.Th>
                <Table.Th scope="col">Bed</Table.Th>
                <Table.Th scope="col">Patient</Table.Th>
                <Table.Th scope="col">MRN</Table.Th>
                <Table.Th scope="col">Born</Table.Th>
                <Table.Th scope="col">Visit</Table.Th>
                <Table.Th scope="col">Class</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">In this bed since</Table.Th>
                <Table.Th scope="col">Attending</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {occupants.map((o) => (
                <Table.Tr key={o.encounterId}>
                  <Table.Td>{o.room ?? '—'}</Table.Td>
                  <Table.Td>{o.bed ?? '—'}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/encounters/${encodeURIComponent(o.encounterId)}`}>
                      {o.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{o.mrn}</Table.Td>
                  <Table.Td>{o.birthDate ? formatDay(o.birthDate) : '—'}</Table.Td>
                  <Table.Td>{o.visitNumber}</Table.Td>
                  <Table.Td>{CLASS_LABELS[o.class]}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={o.status} />
                  </Table.Td>
                  <Table.Td>
                    <span title={formatFullTime(o.since)}>{formatCompactDateTime(o.since)}</span>
                  </Table.Td>
                  <Table.Td>{o.attending ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollableTable>
      )}
    </Paper>
  );
}

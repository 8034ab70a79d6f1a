import { Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useReleaseDashboard, type ReleaseDashboard } from '../../api/release';
import { PageTitle } from '../../components/PageTitle';
import { ProblemAlert } from '../../components/ProblemAlert';

function Figure({ label, value, testId }: { label: string; value: number | string; testId: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="sm">{label}</Text>
      <Text fz={32} fw={700} data-testid={testId}>{value}</Text>
    </Paper>
  );
}

/** Average turnaround by week as bars (simple SVG: no chart library needed), with the same figures in a table. */
function TurnaroundChart({ weeks }: { weeks: ReleaseDashboard['turnaround']['weeks'] }) {
  const max = Math.max(30, ...weeks.map((w) => w.averageDays ?? 0));
  const width = 640, height = 200, bar = width / weeks.length;
  return (
    <figure style={{ margin: 0 }}>
      <svg role="img" aria-labelledby="turnaround-title" viewBox={`0 0 ${width} ${height + 24}`} width="100%" style={{ maxWidth: width }}>
        <title id="turnaround-title">Average days from receipt to release or denial, by week</title>
        <line x1={0} x2={width} y1={height} y2={height} stroke="#555" />
        {weeks.map((w, i) => {
          const h = w.averageDays == null ? 0 : (w.averageDays / max) * (height - 16);
          return (
            <g key={w.weekStart}>
              <rect x={i * bar + 6} y={height - h} width={bar - 12} height={h} fill="#1c5a99"><title>{`Week of ${w.weekStart}: ${w.averageDays ?? 'none'} days, ${w.closed} closed`}</title></rect>
              <text x={i * bar + bar / 2} y={height + 16} textAnchor="middle" fontSize={10} fill="#333">{w.weekStart.slice(5)}</text>
            </g>
          );
        })}
      </svg>
      <figcaption><Text size="sm">Average turnaround in days, weeks starting Monday (the last 12 weeks).</Text></figcaption>
    </figure>
  );
}

/** Open, due this week, overdue, and how long requests take. */
export function ReleaseDashboardPage() {
  const dashboard = useReleaseDashboard();
  const d = dashboard.data;
  return (
    <Stack gap="md">
      <PageTitle>Release of information dashboard</PageTitle>
      <ProblemAlert error={dashboard.error} />
      {!d ? <Loader role="status" aria-label="Loading the dashboard" /> : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Figure label="Open" value={d.open} testId="figure-open" />
            <Figure label="Due this week" value={d.dueThisWeek} testId="figure-due-this-week" />
            <Figure label="Overdue" value={d.overdue} testId="figure-overdue" />
            <Figure label="Median turnaround (days)" value={d.turnaround.medianDays ?? '—'} testId="figure-median" />
          </SimpleGrid>
          <Paper withBorder p="md" component="section" aria-labelledby="turnaround-heading">
            <Title order={2} size="h4" id="turnaround-heading" mb="sm">Turnaround</Title>
            <Group align="flex-start" gap="xl">
              <TurnaroundChart weeks={d.turnaround.weeks} />
              <Table style={{ width: 'auto' }} data-testid="turnaround-table">
                <Table.Thead><Table.Tr><Table.Th scope="col">Week of</Table.Th><Table.Th scope="col">Closed</Table.Th><Table.Th scope="col">Average days</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {d.turnaround.weeks.filter((w) => w.closed > 0).map((w) => (
                    <Table.Tr key={w.weekStart}><Table.Td>{w.weekStart}</Table.Td><Table.Td>{w.closed}</Table.Td><Table.Td>{w.averageDays}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Group>
          </Paper>
        </>
      )}
    </Stack>
  );
}

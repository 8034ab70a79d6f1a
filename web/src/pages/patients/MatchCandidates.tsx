import { Anchor, Badge, Group, Loader, Paper, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import type { ComparisonOutcome, FieldComparison, MatchCandidate, MatchGrade } from '../../api/patients';
import { describeError } from '../../components/ProblemAlert';
import { GRADE_LABELS, MATCH_FIELD_LABELS, PARTIAL_REASONS } from './demographic-codes';
import { formatDay, matchWeight, patientName, percent, sexLabel } from './patient-format';

// Shade 9 keeps white text above 4.5:1; yellow is light, so its badge text turns dark (autoContrast).
const GRADE_COLORS: Record<MatchGrade, string> = { certain: 'red.9', probable: 'yellow.4', possible: 'gray.7' };
const OUTCOME_COLORS: Record<Exclude<ComparisonOutcome, 'missing'>, string> = { agree: 'teal.9', partial: 'yellow.4', disagree: 'red.9' };
const OUTCOME_LABELS: Record<Exclude<ComparisonOutcome, 'missing'>, string> = { agree: 'Agree', partial: 'Partly agree', disagree: 'Disagree' };

export function GradeBadge({ grade }: { grade: MatchGrade }) {
  return (
    <Badge color={GRADE_COLORS[grade]} variant="filled" autoContrast>
      {GRADE_LABELS[grade] ?? grade}
    </Badge>
  );
}

/**
 * How alike two records are, the same way wherever a pair is shown (registration, the duplicates
 * queue, the merge screen): the grade, the probability to a tenth of a percent, and the weight.
 */
export function MatchScore({ grade, score, fields }: { grade: MatchGrade | null; score: number; fields: FieldComparison[] }) {
  return (
    <Group gap="xs" wrap="nowrap" data-testid="match-score">
      {grade ? <GradeBadge grade={grade} /> : <Badge color="gray.7" variant="outline">Not a likely match</Badge>}
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {percent(score)} · weight {matchWeight(fields).toFixed(1)}
      </Text>
    </Group>
  );
}

/** What the weight means, for the pages that show scores. */
export const MATCH_SCORE_HINT =
  'Each pair shows its grade, the probability that the two records are one patient, and the weight of the evidence: the higher the weight, the more fields agree.';

const fieldText = (f: FieldComparison) => {
  const label = MATCH_FIELD_LABELS[f.field] ?? f.field;
  return f.outcome === 'partial' && f.reason ? `${label} (${PARTIAL_REASONS[f.reason] ?? f.reason})` : label;
};

/** Which fields agree, partly agree and disagree: in words first, colour as a second cue. */
export function FieldAgreement({ fields }: { fields: FieldComparison[] }) {
  return (
    <Stack gap={4}>
      {(['agree', 'partial', 'disagree'] as const).map((outcome) => {
        const these = fields.filter((f) => f.outcome === outcome);
        if (these.length === 0) return null;
        return (
          <Group key={outcome} gap={4} wrap="wrap" data-outcome={outcome}>
            <Text size="xs" fw={700} w={92}>
              {OUTCOME_LABELS[outcome]}:
            </Text>
            {these.map((f) => (
              <Badge key={f.field} color={OUTCOME_COLORS[outcome]} variant="filled" autoContrast size="sm" tt="none">
                {fieldText(f)}
              </Badge>
            ))}
          </Group>
        );
      })}
    </Stack>
  );
}

/** Each likely existing record with its grade, score and why, and a link that opens it beside the form. */
export function CandidateList({ candidates, label }: { candidates: MatchCandidate[]; label: string }) {
  return (
    <Stack gap="sm" component="ul" aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {candidates.map((c) => (
        <Paper key={c.patientId} withBorder p="sm" component="li" data-testid={`candidate-${c.mrn}`}>
          <Stack gap={6}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div>
                <Text fw={700}>{patientName(c)}</Text>
                <Text size="sm">
                  MRN {c.mrn} · born {formatDay(c.birthDate)} · {sexLabel(c.sex)}
                </Text>
              </div>
              <Anchor component={Link} to={`/patients/${encodeURIComponent(c.patientId)}`} target="_blank" rel="noopener" size="sm">
                Open<VisuallyHidden> record {c.mrn} in a new tab</VisuallyHidden>
              </Anchor>
            </Group>
            <MatchScore grade={c.grade} score={c.score} fields={c.fields} />
            <FieldAgreement fields={c.fields} />
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

interface PanelProps {
  /** False until given name, family name and birth date are typed. */
  ready: boolean;
  loading: boolean;
  error: unknown;
  candidates: MatchCandidate[] | undefined;
}

/** "Possible existing records": what the index already holds that looks like the patient being typed. */
export function CandidatesPanel({ ready, loading, error, candidates }: PanelProps) {
  const count = candidates?.length ?? 0;
  const status = !ready
    ? 'Type the given name, family name and birth date to look for records of this patient.'
    : loading && !candidates
      ? 'Looking for existing records…'
      : error
        ? `Could not look for existing records: ${describeError(error).detail}`
        : count === 0
          ? 'No existing record looks like this patient.'
          : `${count} possible existing ${count === 1 ? 'record' : 'records'}. Check ${count === 1 ? 'it' : 'them'} before registering a new one.`;
  return (
    <Paper withBorder p="md" component="aside" aria-labelledby="candidates-heading" style={{ position: 'sticky', top: 76 }}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="candidates-heading">
          Possible existing records
        </Title>
        {ready && loading && <Loader role="status" size="xs" aria-label="Looking for existing records" />}
      </Group>
      <Text size="sm" role="status" mb={count ? 'sm' : 0}>
        {status}
      </Text>
      {ready && count > 0 && (
        <Text size="xs" mb="sm">
          {MATCH_SCORE_HINT}
        </Text>
      )}
      {ready && count > 0 && candidates && <CandidateList candidates={candidates} label="Possible existing records" />}
    </Paper>
  );
}

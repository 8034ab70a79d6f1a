import { Anchor, Badge, Button, Checkbox, Group, Loader, NativeSelect, NumberInput, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { localToday } from '../../../api/disclosures';
import {
  dollars, invoicePdfUrl, PAYMENT_METHODS, useFeeSchedule, useInvoices, useIssueInvoice, useQuote, useRecordPayment, useVoidInvoice, type FeeLine, type Invoice, type QuoteInput, type Waiver,
} from '../../../api/fees';
import { PERMISSIONS } from '../../../api/permissions';
import { FactSection } from '../../../components/Facts';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useSession } from '../../../session/SessionProvider';

const STATUS: Record<Invoice['status'], { label: string; color: string }> = {
  unpaid: { label: 'Unpaid', color: 'red.9' }, 'part-paid': { label: 'Part paid', color: 'orange.9' }, paid: { label: 'Paid', color: 'teal.9' }, void: { label: 'Void', color: 'gray.8' },
};

const toCents = (value: string | number): number => Math.round(Number(value || 0) * 100);

function Lines({ lines, total, label }: { lines: FeeLine[]; total: number; label: string }) {
  return (
    <Table aria-label={label}>
      <Table.Thead><Table.Tr><Table.Th scope="col">Charge</Table.Th><Table.Th scope="col">Amount</Table.Th></Table.Tr></Table.Thead>
      <Table.Tbody>
        {lines.map((l, i) => (
          <Table.Tr key={i}><Table.Td>{l.quantity !== 1 ? `${l.label} (${l.quantity} × ${dollars(l.unitCents)})` : l.label}</Table.Td><Table.Td>{dollars(l.amountCents)}</Table.Td></Table.Tr>
        ))}
        <Table.Tr><Table.Th scope="row">Total</Table.Th><Table.Td fw={700}>{dollars(total)}</Table.Td></Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

function Payment({ requestId, invoice }: { requestId: string; invoice: Invoice }) {
  const pay = useRecordPayment(requestId);
  const [amount, setAmount] = useState<string | number>((invoice.outstandingCents / 100).toFixed(2));
  const [method, setMethod] = useState<keyof typeof PAYMENT_METHODS>('check');
  const [reference, setReference] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pay.mutate({ invoiceId: invoice.id, amountCents: toCents(amount), method, reference: reference.trim() || null, receivedOn: localToday() });
  };
  return (
    <form onSubmit={submit} aria-label={`Record a payment on ${invoice.number}`}>
      <Group align="flex-end" gap="sm">
        <NumberInput label="Amount ($)" value={amount} onChange={setAmount} decimalScale={2} min={0} w={130} />
        <NativeSelect label="Method" value={method} onChange={(e) => setMethod(e.currentTarget.value as keyof typeof PAYMENT_METHODS)}
          data={Object.entries(PAYMENT_METHODS).map(([value, label]) => ({ value, label }))} />
        <TextInput label="Reference (check number)" value={reference} onChange={(e) => setReference(e.currentTarget.value)} w={180} />
        <Button type="submit" variant="default" loading={pay.isPending}>Record payment</Button>
      </Group>
      {pay.error && <ProblemAlert error={pay.error} />}
    </form>
  );
}

function VoidInvoice({ requestId, invoice }: { requestId: string; invoice: Invoice }) {
  const voiding = useVoidInvoice(requestId);
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    voiding.mutate({ invoiceId: invoice.id, reason });
  };
  return (
    <form onSubmit={submit} aria-label={`Void ${invoice.number}`}>
      <Group align="flex-end" gap="sm">
        <TextInput label="Reason to void" value={reason} onChange={(e) => setReason(e.currentTarget.value)} w={260} />
        <Button type="submit" variant="default" color="red" loading={voiding.isPending}>Void invoice</Button>
      </Group>
      {voiding.error && <ProblemAlert error={voiding.error} />}
    </form>
  );
}

/** The request's fee: a quote from the schedule, invoices with their PDF, payments and status. */
export function FeesSection({ requestId }: { requestId: string }) {
  const { hasPermission } = useSession();
  const schedule = useFeeSchedule();
  const invoices = useInvoices(requestId);
  const quote = useQuote(requestId);
  const issue = useIssueInvoice(requestId);
  const [pages, setPages] = useState<string | number>(0);
  const [medium, setMedium] = useState<QuoteInput['medium']>('paper');
  const [kept, setKept] = useState(true);
  const [postage, setPostage] = useState<string | number>(0);
  const [certified, setCertified] = useState(false);
  const [portableMedia, setPortableMedia] = useState(false);
  const [summary, setSummary] = useState(false);
  const [waiver, setWaiver] = useState<Waiver | ''>('');
  const canWrite = hasPermission(PERMISSIONS.releaseWrite);
  const input = (): QuoteInput => ({
    pages: Number(pages || 0), medium, recordsKeptElectronically: kept, postageCents: toCents(postage), certified, portableMedia, summary, ...(waiver ? { waiver } : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    quote.mutate(input());
  };
  const waivers = schedule.data?.schedule.waivers ?? [];
  return (
    <FactSection id="request-fees" title="Fees">
      <Stack gap="sm">
        <form onSubmit={submit} aria-label="Fee quote">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput label="Pages" value={pages} onChange={setPages} min={0} allowDecimal={false} />
            <NativeSelect label="Medium" value={medium} onChange={(e) => setMedium(e.currentTarget.value as QuoteInput['medium'])}
              data={[{ value: 'paper', label: 'Paper' }, { value: 'electronic', label: 'Electronic' }]} />
            <NumberInput label="Postage ($)" value={postage} onChange={setPostage} decimalScale={2} min={0} />
          </SimpleGrid>
          <Group gap="md" mt="xs">
            <Checkbox label="Records kept electronically" checked={kept} onChange={(e) => setKept(e.currentTarget.checked)} />
            <Checkbox label="Certified copy" checked={certified} onChange={(e) => setCertified(e.currentTarget.checked)} />
            <Checkbox label="On CD or USB drive" checked={portableMedia} onChange={(e) => setPortableMedia(e.currentTarget.checked)} />
            <Checkbox label="Agreed summary" checked={summary} onChange={(e) => setSummary(e.currentTarget.checked)} />
          </Group>
          {waivers.length > 0 && (
            <NativeSelect label="Waiver" mt="xs" value={waiver} onChange={(e) => setWaiver(e.currentTarget.value as Waiver | '')}
              data={[{ value: '', label: 'No waiver' }, ...waivers.map((w) => ({ value: w, label: schedule.data!.waiverLabels[w] }))]} />
          )}
          <Group mt="sm">
            <Button type="submit" variant="default" loading={quote.isPending}>Quote the fee</Button>
            {canWrite && <Button onClick={() => issue.mutate(input())} loading={issue.isPending}>Issue invoice</Button>}
          </Group>
        </form>
        {quote.error && <ProblemAlert error={quote.error} />}
        {issue.error && <ProblemAlert error={issue.error} />}
        {quote.data && (
          <Stack gap={4} data-testid="fee-quote">
            <Text size="sm">{quote.data.patientOwnCopy ? "The patient's own copy (right of access)" : 'A third-party copy'}: {quote.data.basis}</Text>
            {quote.data.waived && <Text size="sm">Waived: {quote.data.waived.reason}</Text>}
            <Lines lines={quote.data.lines} total={quote.data.totalCents} label="Quoted charges" />
          </Stack>
        )}
        {invoices.isPending ? <Loader size="sm" role="status" aria-label="Loading invoices" /> : invoices.error ? <ProblemAlert error={invoices.error} /> : invoices.data.length === 0 ? (
          <Text c="dimmed">No invoices.</Text>
        ) : invoices.data.map((inv) => (
          <Stack key={inv.id} gap={4} data-testid="invoice">
            <Group gap="sm">
              <Text fw={600}>{inv.number}</Text>
              <Badge color={STATUS[inv.status].color} variant="filled" data-testid="invoice-status">{STATUS[inv.status].label}</Badge>
              <Text size="sm">Total {dollars(inv.totalCents)} · paid {dollars(inv.paidCents)} · outstanding {dollars(inv.outstandingCents)}</Text>
              <Anchor href={invoicePdfUrl(inv.id)} target="_blank" rel="noopener">Invoice PDF</Anchor>
            </Group>
            <Lines lines={inv.lines} total={inv.totalCents} label={`Charges on ${inv.number}`} />
            {inv.payments.map((p) => <Text key={p.id} size="sm">{`${p.receivedOn}: ${dollars(p.amountCents)} by ${PAYMENT_METHODS[p.method]}${p.reference ? ` (${p.reference})` : ''}, recorded by ${p.recordedBy}`}</Text>)}
            {inv.voidReason && <Text size="sm">Void: {inv.voidReason}</Text>}
            {canWrite && (inv.status === 'unpaid' || inv.status === 'part-paid') && <Payment requestId={requestId} invoice={inv} />}
            {canWrite && inv.status === 'unpaid' && <VoidInvoice requestId={requestId} invoice={inv} />}
          </Stack>
        ))}
      </Stack>
    </FactSection>
  );
}

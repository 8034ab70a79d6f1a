import { Stack, Tabs, Text, Title } from '@mantine/core';
import { PERMISSIONS } from '../../../api/permissions';
import { PageTitle } from '../../../components/PageTitle';
import { useSession } from '../../../session/SessionProvider';
import { DestructionsSection } from './DestructionsSection';
import { EligibleSection } from './EligibleSection';
import { RulesSection } from './RulesSection';

/**
 * Retention and destruction: what may be destroyed, proposals and their approval by a second
 * supervisor, certificates of destruction, and the retention rules.
 */
export function RetentionPage() {
  const { hasPermission } = useSession();
  const supervisor = hasPermission(PERMISSIONS.documentsDestroy);
  return (
    <Stack gap="md">
      <PageTitle>Retention</PageTitle>
      <Text>
        Documents past their retention period and under no legal hold may be proposed for destruction. A supervisor other than the one
        who proposed it approves; the content is then destroyed and a certificate of destruction is kept.
      </Text>
      <Tabs defaultValue="eligible" keepMounted={false}>
        <Tabs.List aria-label="Retention">
          <Tabs.Tab value="eligible">Eligible for destruction</Tabs.Tab>
          <Tabs.Tab value="destructions">Destructions</Tabs.Tab>
          <Tabs.Tab value="rules">Retention rules</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="eligible" pt="md">
          <Title order={2} size="h3" mb="sm">Eligible for destruction</Title>
          <EligibleSection />
        </Tabs.Panel>
        <Tabs.Panel value="destructions" pt="md">
          <Title order={2} size="h3" mb="sm">Destructions</Title>
          <DestructionsSection supervisor={supervisor} />
        </Tabs.Panel>
        <Tabs.Panel value="rules" pt="md">
          <Title order={2} size="h3" mb="sm">Retention rules</Title>
          <RulesSection editable={supervisor} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

import { Stack, Text } from '@mantine/core';
import { PageTitle } from '../../components/PageTitle';
import { LocationsSection } from './LocationsSection';
import { ProvidersSection } from './ProvidersSection';

/** The lists admissions choose from: the hospital's providers and its departments, units, rooms and beds. */
export function ReferenceDataPage() {
  return (
    <Stack gap="md">
      <PageTitle>Reference data</PageTitle>
      <Text>The providers and places the admitting desk chooses from. Changes apply to new visits; past visits keep what they recorded.</Text>
      <ProvidersSection />
      <LocationsSection />
    </Stack>
  );
}

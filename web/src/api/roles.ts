import { useQuery } from '@tanstack/react-query';
import { apiRequest } from './client';
import type { Role } from './types';

export function useRoles() {
  return useQuery({
    queryKey: ['roles'],
    queryFn: ({ signal }) => apiRequest<{ roles: Role[] }>('/api/roles', { signal }).then((body) => body.roles),
    staleTime: 5 * 60_000,
  });
}

/** The role's label from the server, or its name made readable (`records_clerk` -> `Records clerk`). */
export function roleLabel(role: string, roles: Role[] | undefined): string {
  const known = roles?.find((r) => r.role === role);
  if (known) return known.label;
  const words = role.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

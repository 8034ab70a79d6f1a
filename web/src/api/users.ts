import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';
import type { User } from './types';

const USERS_KEY = ['users'] as const;

export function useUsers() {
  return useQuery({
    queryKey: USERS_KEY,
    queryFn: ({ signal }) => apiRequest<{ users: User[] }>('/api/users', { signal }).then((body) => body.users),
  });
}

export interface NewUser {
  username: string;
  displayName: string;
  role: string;
}

export interface UserChange {
  displayName?: string;
  role?: string;
  active?: boolean;
}

/** Every change to a user, each refreshing the list when it succeeds. */
export function useUserActions() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: USERS_KEY });
  return {
    create: useMutation({
      mutationFn: (user: NewUser) => apiRequest<{ user: User; temporaryPassword: string }>('/api/users', { method: 'POST', body: user }),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, change }: { id: string; change: UserChange }) =>
        apiRequest<{ user: User }>(`/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: change }),
      onSuccess: refresh,
    }),
    unlock: useMutation({
      mutationFn: (id: string) => apiRequest<{ user: User }>(`/api/users/${encodeURIComponent(id)}/unlock`, { method: 'POST' }),
      onSuccess: refresh,
    }),
    resetPassword: useMutation({
      mutationFn: (id: string) =>
        apiRequest<{ temporaryPassword: string }>(`/api/users/${encodeURIComponent(id)}/reset-password`, { method: 'POST' }),
      onSuccess: refresh,
    }),
    resetMfa: useMutation({
      mutationFn: (id: string) => apiRequest<{ user: User }>(`/api/users/${encodeURIComponent(id)}/reset-mfa`, { method: 'POST' }),
      onSuccess: refresh,
    }),
  };
}

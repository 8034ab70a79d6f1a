import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app is served by the Chartroom server from dist/web; in development `npx vite`
// forwards the API to a server started with `npm run dev` on port 8080.
const server = 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // One bundle of about 250 kB gzipped, loaded once per sign-in on the hospital network; Mantine is most of it.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': server,
      '/oauth2': server,
      '/healthz': server,
    },
  },
});

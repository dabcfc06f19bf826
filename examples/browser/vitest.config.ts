import { projectConfig } from '@tenzo/tooling/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig(projectConfig('example-browser'));

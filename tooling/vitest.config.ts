import { defineConfig } from 'vitest/config';
import { projectConfig } from './vitest.config.base.js';

export default defineConfig(projectConfig('tooling'));

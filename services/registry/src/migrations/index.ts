import type { Migration } from '@pass/db';
import { registryInit } from './20261122000300-registry-init';

export const registryMigrations: Migration[] = [registryInit];

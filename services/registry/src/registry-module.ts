import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AppContext, ServiceModule } from '@pass/http';
import express from 'express';
import { associationRoutes } from './associations/association-routes';
import { auditRoutes } from './audit/audit-routes';
import { authRoutes } from './auth/auth-routes';
import { DeviceService } from './auth/device-service';
import { bankChangeRoutes } from './bank-details/bank-change-routes';
import { catalogueRoutes } from './catalogue/catalogue-routes';
import { seedRegistryDemo } from './demo/seed-demo';
import { directoryRoutes } from './directory/directory-routes';
import { distributorRoutes } from './distributors/distributor-routes';
import { funderRoutes } from './funders/funder-routes';
import { registryMigrations } from './migrations';
import { userRoutes } from './users/user-routes';
import { venueImportCommand } from './venue-import/venue-import-command';
import { venueImportRoutes } from './venue-import/venue-import-routes';
import { venueRoutes } from './venues/venue-routes';

/** Organisations, users and credentials, venues and their catalogue, accreditation, open data. */
export const registryModule: ServiceModule = {
  name: 'registry',
  migrations: registryMigrations,
  createRouter(ctx: AppContext, openapi: OpenAPIRegistry) {
    const router = express.Router();
    router.use(authRoutes(ctx, openapi).router);
    router.use(funderRoutes(ctx, openapi));
    router.use(distributorRoutes(ctx, openapi));
    router.use(associationRoutes(ctx, openapi));
    router.use(bankChangeRoutes(ctx, openapi));
    // Before the venue routes: `/venues/import` and `/venues/export` must not be read as `/venues/:id`.
    router.use(venueImportRoutes(ctx, openapi));
    router.use(venueRoutes(ctx, openapi));
    router.use(catalogueRoutes(ctx, openapi));
    router.use(userRoutes(ctx, openapi));
    router.use(auditRoutes(ctx, openapi));
    router.use(directoryRoutes(ctx, openapi));
    return router;
  },
  deviceResolver(ctx: AppContext) {
    const devices = new DeviceService(ctx.knex);
    return (token) => devices.resolve(token);
  },
  commands: [venueImportCommand],
  seedDemo: seedRegistryDemo,
};

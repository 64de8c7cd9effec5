import type * as z from 'zod/mini';
import { HealthResponseSchema, ProblemSchema } from './common';
import {
  CreateEmployerRequestSchema,
  CreateEmployerResponseSchema,
  CreateProviderRequestSchema,
  CreateProviderResponseSchema,
} from './organisations';
import { RunJobRequestSchema, RunJobResponseSchema } from './jobs';
import {
  CollectiveRegistrationRequestSchema,
  CollectiveRegistrationResponseSchema,
  EmployeeHistoryQuerySchema,
  EmployeeHistorySchema,
  EmployerReportQuerySchema,
  EmployerReportSchema,
} from './employers';
import {
  ActivationRequestSchema,
  ActivationResponseSchema,
  DossierSchema,
  EventListSchema,
  EventsQuerySchema,
  ImportDiplomasRequestSchema,
  ImportDiplomasResponseSchema,
  RegisterEntrySchema,
  RegisterSearchQuerySchema,
  RegisterSearchResponseSchema,
  RenewalResponseSchema,
  SessionRequestSchema,
  SessionResponseSchema,
} from './participants';

/**
 * Every schema the route table names (body / query / response), by name. The OpenAPI builder
 * reads this; a route naming a schema missing here fails the OpenAPI test.
 */
export const schemas: Record<string, z.ZodMiniType> = {
  Problem: ProblemSchema,
  HealthResponse: HealthResponseSchema,
  CreateProviderRequest: CreateProviderRequestSchema,
  CreateProviderResponse: CreateProviderResponseSchema,
  CreateEmployerRequest: CreateEmployerRequestSchema,
  CreateEmployerResponse: CreateEmployerResponseSchema,
  RunJobRequest: RunJobRequestSchema,
  RunJobResponse: RunJobResponseSchema,
  ImportDiplomasRequest: ImportDiplomasRequestSchema,
  ImportDiplomasResponse: ImportDiplomasResponseSchema,
  ActivationRequest: ActivationRequestSchema,
  ActivationResponse: ActivationResponseSchema,
  SessionRequest: SessionRequestSchema,
  SessionResponse: SessionResponseSchema,
  Dossier: DossierSchema,
  RenewalResponse: RenewalResponseSchema,
  EventsQuery: EventsQuerySchema,
  EventList: EventListSchema,
  RegisterEntry: RegisterEntrySchema,
  RegisterSearchQuery: RegisterSearchQuerySchema,
  RegisterSearchResponse: RegisterSearchResponseSchema,
  CollectiveRegistrationRequest: CollectiveRegistrationRequestSchema,
  CollectiveRegistrationResponse: CollectiveRegistrationResponseSchema,
  EmployerReportQuery: EmployerReportQuerySchema,
  EmployerReport: EmployerReportSchema,
  EmployeeHistoryQuery: EmployeeHistoryQuerySchema,
  EmployeeHistory: EmployeeHistorySchema,
};

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
import {
  CompletionsRequestSchema,
  CompletionsResponseSchema,
  EmployerCreditsRequestSchema,
  EmployerCreditsResponseSchema,
  RevocationRequestSchema,
  RevocationResponseSchema,
} from './credits';
import {
  ActivitiesQuerySchema,
  ActivitySchema,
  CatalogueSchema,
  DecisionRequestSchema,
  DecisionResponseSchema,
  PutTopicRequestSchema,
  RecognitionRequestBodySchema,
  RecognitionRequestListSchema,
  RecognitionRequestSchema,
  RecognitionRequestsQuerySchema,
  SubmitRecognitionResponseSchema,
  TopicListSchema,
  TopicSchema,
} from './recognition';

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
  CompletionsRequest: CompletionsRequestSchema,
  CompletionsResponse: CompletionsResponseSchema,
  RevocationRequest: RevocationRequestSchema,
  RevocationResponse: RevocationResponseSchema,
  EmployerCreditsRequest: EmployerCreditsRequestSchema,
  EmployerCreditsResponse: EmployerCreditsResponseSchema,
  TopicList: TopicListSchema,
  Topic: TopicSchema,
  PutTopicRequest: PutTopicRequestSchema,
  RecognitionRequestBody: RecognitionRequestBodySchema,
  SubmitRecognitionResponse: SubmitRecognitionResponseSchema,
  RecognitionRequestsQuery: RecognitionRequestsQuerySchema,
  RecognitionRequestList: RecognitionRequestListSchema,
  RecognitionRequest: RecognitionRequestSchema,
  DecisionRequest: DecisionRequestSchema,
  DecisionResponse: DecisionResponseSchema,
  ActivitiesQuery: ActivitiesQuerySchema,
  Catalogue: CatalogueSchema,
  Activity: ActivitySchema,
};

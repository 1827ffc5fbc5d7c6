/*
 * portier/sdk — everything a plugin author imports. tsyringe needs the
 * Reflect metadata polyfill before any decorator runs.
 */
import 'reflect-metadata';

export { inject, injectable } from 'tsyringe';
export type { InjectionToken } from 'tsyringe';
export { z } from 'zod';

export * from './errors.js';
export * from './clock.js';
export * from './logger.js';
export * from './ports.js';
export * from './audio-ports.js';
export * from './events.js';
export * from './rules.js';
export * from './store.js';
export * from './settings.js';
export * from './schedules.js';
export * from './plugin.js';
export * from './services-api.js';
export * from './http.js';
export * from './tokens.js';
export * from './services/io.js';
export * from './services/credentials.js';
export type { Manifest } from '../manifest-schema/schema.js';

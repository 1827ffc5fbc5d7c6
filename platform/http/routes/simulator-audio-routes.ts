import { z } from 'zod';
import { decodeAudioClip } from '../../hardware/audio-clip-decoder.js';
import type { SimulatedIntercom } from '../../hardware/simulated-intercom.js';
import type { Kernel } from '../../kernel.js';
import type { App, RouteModule } from '../http-server.js';
import { apiError, errorResponses, portParams } from '../schemas/error-responses.js';
import { boardPort, simulatorOf } from './simulator-access.js';

const MAX_CLIP_SECONDS = 120;
const MAX_CLIP_BYTES = 20 * 1024 * 1024;
const CLIP_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/mpeg', 'audio/ogg', 'audio/flac', 'audio/aac', 'audio/mp4', 'application/octet-stream'];

const sourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('silence') }).strict(),
  z
    .object({
      kind: z.literal('tone'),
      frequencyHz: z.number().min(50).max(3900).describe('Within telephone band (8 kHz sampling)'),
      levelDbfs: z.number().min(-60).max(0).default(-12),
    })
    .strict(),
]);

const sourceView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('silence') }),
  z.object({ kind: z.literal('tone'), frequencyHz: z.number(), levelDbfs: z.number() }),
  z.object({ kind: z.literal('clip'), name: z.string(), seconds: z.number(), loop: z.boolean() }),
]);

const audioView = z
  .object({
    microphones: z.array(z.object({ port: z.string(), source: sourceView })),
    speakers: z.array(
      z.object({
        port: z.string(),
        framesPlayed: z.number().int().describe('20 ms frames played since start'),
        levelDbfs: z.number().nullable().describe('RMS level of the last 200 ms played; null before anything played'),
        lastPlayedAt: z.number().nullable(),
      }),
    ),
  })
  .describe('What the simulated microphones hear and what the speaker played');

type AudioView = z.output<typeof audioView>;

function view(kernel: Kernel, sim: SimulatedIntercom): AudioView {
  const out: AudioView = { microphones: [], speakers: [] };
  for (const port of kernel.board.ports) {
    if (port.kind === 'microphone') out.microphones.push({ port: port.id, source: sim.microphoneSource(port.id) });
    if (port.kind === 'speaker') out.speakers.push({ port: port.id, ...sim.speakerState(port.id) });
  }
  return out;
}

/**
 * The simulated intercom's audio: what its microphones hear (silence, a tone,
 * or an uploaded clip ffmpeg decodes) and what its speaker played, so a call
 * can be heard end to end without a sound card.
 */
export function simulatorAudioRoutes(kernel: Kernel): RouteModule {
  const response = { 200: audioView, ...errorResponses(404, 409) };
  const microphone = (id: string): string => boardPort(kernel, id, ['microphone'], 'microphone').id;

  return async (app: App) => {
    app.get(
      '/simulator/audio',
      { config: { access: 'operator' }, schema: { tags: ['simulator'], summary: 'What the microphones hear and what the speaker played', response } },
      () => view(kernel, simulatorOf(kernel)),
    );

    app.put(
      '/simulator/microphones/:port',
      {
        config: { access: 'operator' },
        schema: { tags: ['simulator'], summary: 'Make a microphone hear silence or a tone', params: portParams, body: sourceSchema, response },
      },
      (request) => {
        const sim = simulatorOf(kernel);
        sim.setMicrophoneSource(microphone(request.params.port), request.body);
        return view(kernel, sim);
      },
    );

    await app.register(async (scope: App) => {
      scope.removeContentTypeParser('text/plain');
      scope.addContentTypeParser(CLIP_TYPES, { parseAs: 'buffer', bodyLimit: MAX_CLIP_BYTES }, (_request, body, done) => done(null, body));
      scope.put(
        '/simulator/microphones/:port/clip',
        {
          config: { access: 'operator' },
          bodyLimit: MAX_CLIP_BYTES,
          schema: {
            tags: ['simulator'],
            summary: 'Make a microphone hear an audio clip (any format ffmpeg reads, at most 2 minutes), once or looped',
            description: `Send the file as the raw body (${CLIP_TYPES.join(', ')}). It is decoded with ffmpeg to 8 kHz mono.`,
            params: portParams,
            querystring: z.object({ loop: z.enum(['true', 'false']).default('true'), name: z.string().max(200).default('clip') }).strict(),
            response: { ...response, ...errorResponses(404, 409, 413, 415, 422) },
          },
        },
        async (request) => {
          const sim = simulatorOf(kernel);
          const port = microphone(request.params.port);
          const body = request.body;
          if (!(body instanceof Buffer) || body.length === 0) throw apiError(400, 'AUDIO_CLIP_EMPTY', 'Send the audio file as the request body.');
          let samples: Int16Array;
          try {
            samples = await decodeAudioClip(body, { maxSeconds: MAX_CLIP_SECONDS });
          } catch (error) {
            const code = (error as { code?: string }).code ?? 'AUDIO_CLIP_UNREADABLE';
            throw apiError(code === 'FFMPEG_MISSING' ? 503 : 422, code, (error as Error).message);
          }
          sim.setMicrophoneSource(port, { kind: 'clip', name: request.query.name, samples, loop: request.query.loop === 'true' });
          return view(kernel, sim);
        },
      );
    });
  };
}

import { AUDIO_FRAME_SAMPLES, type MicrophonePort, type SpeakerPort } from '../../sdk/audio-ports.js';
import { PortierError } from '../../sdk/errors.js';
import type { Unsubscribe } from '../../sdk/ports.js';
import { ClaimedPort } from './port-handles.js';

export class MicrophoneHandle extends ClaimedPort implements MicrophonePort {
  readonly kind = 'microphone' as const;

  onFrame(listener: (samples: Int16Array) => void): Unsubscribe {
    this.alive();
    const unsubscribe = this.driver.onMicrophoneFrame(this.id, this.guard(listener));
    this.unsubscribers.push(unsubscribe);
    return unsubscribe;
  }
}

export class SpeakerHandle extends ClaimedPort implements SpeakerPort {
  readonly kind = 'speaker' as const;

  play(samples: Int16Array): void {
    this.alive();
    if (!(samples instanceof Int16Array) || samples.length !== AUDIO_FRAME_SAMPLES) {
      const got = samples instanceof Int16Array ? `${samples.length} samples` : typeof samples;
      throw new PortierError('AUDIO_FRAME_INVALID', `Speaker ${this.id} plays frames of ${AUDIO_FRAME_SAMPLES} samples (Int16Array, 8 kHz, 20 ms); got ${got}.`);
    }
    this.driver.playSpeaker(this.id, samples);
  }
}

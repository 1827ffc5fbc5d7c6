import type { PortInfo } from '../../sdk/ports.js';

export interface BoardDefinition {
  model: string;
  ports: readonly PortInfo[];
}

/**
 * The AXIS I8307-VE as data: what the intercom has, from its user manual.
 * Drivers and the port registry are built from this, so another board is
 * another constant, not another kernel.
 */
export const AXIS_I8307_VE: BoardDefinition = {
  model: 'AXIS I8307-VE Network Video Door Station',
  ports: [
    { id: 'relay-1', kind: 'relay', label: 'Relay 1', description: 'Solid-state relay, NO/NC pins 1–2 of the relay connector; max 1 A, 30 V DC' },
    { id: 'relay-2', kind: 'relay', label: 'Relay 2', description: 'Solid-state relay, NO/NC pins 5–6 of the relay connector; max 1 A, 30 V DC' },
    { id: 'io-1', kind: 'io', label: 'I/O 1', description: 'Configurable input or output, I/O connector pin 3' },
    { id: 'io-2', kind: 'io', label: 'I/O 2', description: 'Configurable input or output, I/O connector pin 4' },
    { id: 'io-3', kind: 'io', label: 'I/O 3', description: 'Configurable input or output, I/O connector pin 5' },
    { id: 'io-4', kind: 'io', label: 'I/O 4', description: 'Configurable input or output, I/O connector pin 6' },
    { id: 'reader-connector', kind: 'reader-connector', label: 'Reader connector', description: 'Wiegand D0/D1 or RS-485 A+/B− to a door controller' },
    { id: 'audio-in', kind: 'audio-in', label: 'Audio line in', description: 'Audio line in' },
    { id: 'audio-out', kind: 'audio-out', label: 'Audio line out', description: 'Audio line out' },
    { id: 'speaker', kind: 'speaker', label: 'Speaker', description: 'Built-in speaker' },
    { id: 'microphone-1', kind: 'microphone', label: 'Microphone 1', description: 'Built-in microphone' },
    { id: 'microphone-2', kind: 'microphone', label: 'Microphone 2', description: 'Built-in microphone' },
    { id: 'display', kind: 'display', label: 'Display', description: '480×800 touch display; PINs typed on its keypad go to the RFID reader\'s holder' },
    { id: 'rfid', kind: 'rfid-reader', label: 'RFID reader', description: '13.56 MHz and 125 kHz card reader with its own LED and beeper; also takes the PINs typed on the display' },
    { id: 'pir', kind: 'pir', label: 'PIR sensor', description: 'Passive infrared motion sensor' },
    { id: 'light-sensor', kind: 'light-sensor', label: 'Light sensor', description: 'Ambient light sensor' },
    { id: 'control-button', kind: 'control-button', label: 'Control button', description: 'Control button (restart, factory default)' },
    { id: 'call-button', kind: 'call-button', label: 'Call button', description: 'The visitor\'s call button' },
    { id: 'status-led', kind: 'status-led', label: 'Status LED', description: 'Status LED (green, red, amber)' },
  ],
};

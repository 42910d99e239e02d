import { useEffect, useRef, useState } from 'preact/hooks';
import { createQrDecoder } from '../lib/qr-decoder';

type CameraState = 'starting' | 'running' | 'denied' | 'unavailable' | 'error';

// Between two decodes: fast enough to feel instant, slow enough to leave the phone's CPU some rest.
const SCAN_INTERVAL_MS = 150;
// The same QR code held in front of the camera is reported once, not ten times a second.
const SAME_CODE_QUIET_MS = 3000;

/**
 * The rear camera with a QR reader. Reports each payload once; the parent decides what to do with it.
 * Works only on HTTPS pages or localhost (browsers give the camera to secure contexts only).
 */
export function CameraScanner(props: { onPayload: (text: string) => void; paused?: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<CameraState>('starting');
  const [decoderKind, setDecoderKind] = useState<string>('');
  const onPayload = useRef(props.onPayload);
  onPayload.current = props.onPayload;
  const paused = useRef(props.paused ?? false);
  paused.current = props.paused ?? false;

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closeDecoder = () => {};
    const last = { text: '', at: 0 };

    async function start() {
      if (!navigator.mediaDevices?.getUserMedia) {
        setState('unavailable');
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
          audio: false,
        });
      } catch (err) {
        const name = (err as { name?: string }).name;
        setState(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable');
        return;
      }
      if (stopped || !video.current) {
        for (const track of stream.getTracks()) track.stop();
        return;
      }
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      const decoder = await createQrDecoder();
      closeDecoder = () => decoder.close();
      setDecoderKind(decoder.kind);
      setState('running');
      const tick = async () => {
        if (stopped) return;
        const element = video.current;
        if (element && !paused.current && element.readyState >= 2) {
          try {
            const text = await decoder.decode(element);
            const now = Date.now();
            if (text && !stopped && (text !== last.text || now - last.at > SAME_CODE_QUIET_MS)) {
              last.text = text;
              last.at = now;
              navigator.vibrate?.(80);
              onPayload.current(text);
            } else if (text) {
              last.at = now;
            }
          } catch {
            // A frame that cannot be read is skipped; the next one usually can.
          }
        }
        if (!stopped) timer = setTimeout(tick, SCAN_INTERVAL_MS);
      };
      tick();
    }

    start().catch(() => setState('error'));
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      closeDecoder();
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);

  return (
    <div class="camera">
      <div class="camera-frame">
        {/* The video has no sound and no caption to offer; its purpose is stated in the label. */}
        <video ref={video} muted playsInline aria-label="Image de la caméra pour lire le QR code du pass" />
        <div class="camera-target" aria-hidden="true" />
      </div>
      <p class="camera-status" role="status" data-decoder={decoderKind}>
        {state === 'starting' && 'Ouverture de la caméra…'}
        {state === 'running' &&
          (props.paused ? 'Lecture en pause.' : 'Présentez le QR code du pass dans le cadre.')}
        {state === 'denied' &&
          'La caméra est refusée. Autorisez-la dans les réglages du navigateur, ou saisissez le code à la main.'}
        {state === 'unavailable' &&
          'Aucune caméra disponible sur cet appareil : saisissez le code à la main.'}
        {state === 'error' && 'La caméra n’a pas pu démarrer : saisissez le code à la main.'}
      </p>
    </div>
  );
}

/** Stops the server the global setup started (by its pid) and removes its temporary folder. */
import fs from 'fs';
import { SERVER_PID_FILE, TEMP_DIR_FILE } from './global-setup';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function globalTeardown(): Promise<void> {
  if (fs.existsSync(SERVER_PID_FILE)) {
    const pid = parseInt(fs.readFileSync(SERVER_PID_FILE, 'utf-8').trim(), 10);
    if (!isNaN(pid) && alive(pid)) {
      process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + 10_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    fs.unlinkSync(SERVER_PID_FILE);
  }
  if (fs.existsSync(TEMP_DIR_FILE)) {
    const tempDir = fs.readFileSync(TEMP_DIR_FILE, 'utf-8').trim();
    fs.rmSync(tempDir, { recursive: true, force: true });
    fs.unlinkSync(TEMP_DIR_FILE);
  }
}

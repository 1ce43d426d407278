// The live channel (/api/v1/ws): learns this page's client id, signs it in, and passes on the
// server's change notices. It reconnects by itself after a drop.

export class LiveChannel {
  constructor({ getToken, onMessage, onStatus }) {
    this.getToken = getToken;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.uuid = null;
    this.socket = null;
    this.retry = 0;
    this.everOpened = false;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/ws`);
    this.socket = socket;
    this.onStatus("connecting");
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.OP === "SET_UUID") {
        this.uuid = message.DATA;
        this.retry = 0;
        this.onStatus("open");
        this.authenticate();
        const reconnected = this.everOpened;
        this.everOpened = true;
        // Notices sent while we were away are lost: a reconnect means "reload everything".
        if (reconnected) this.onMessage({ OP: "RECONNECTED", DATA: {} });
        return;
      }
      this.onMessage(message);
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.uuid = null;
      this.onStatus("closed");
      const delay = Math.min(1000 * 2 ** this.retry, 10000);
      this.retry += 1;
      setTimeout(() => this.connect(), delay);
    });
  }

  authenticate() {
    const token = this.getToken();
    if (token && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ OP: "AUTHENTICATE", DATA: { token } }));
    }
  }
}

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
    this.timer = null;
    // The browser knows before the socket does that the network went: drop the socket at once
    // (its reconnect loop then waits), and try again as soon as the network is back.
    window.addEventListener("offline", () => {
      this.onStatus("offline");
      this.socket?.close();
    });
    window.addEventListener("online", () => {
      if (this.socket && this.socket.readyState <= WebSocket.OPEN) return;
      clearTimeout(this.timer);
      this.retry = 0;
      this.connect();
    });
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/ws`);
    this.socket = socket;
    this.onStatus(!navigator.onLine ? "offline" : this.everOpened ? "closed" : "connecting");
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
      this.onStatus(navigator.onLine ? "closed" : "offline");
      const delay = Math.min(1000 * 2 ** this.retry, 10000);
      this.retry += 1;
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  authenticate() {
    const token = this.getToken();
    if (token && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ OP: "AUTHENTICATE", DATA: { token } }));
    }
  }
}

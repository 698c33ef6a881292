import { mqttTestClient } from './test-clients'
import { describeBroker } from './test-support'

describeBroker({
  kind: 'mqtt',
  label: 'Mosquitto (MQTT)',
  host: '127.0.0.1',
  port: 1883,
  howToStart: 'mkdir -p /run/mosquitto && chown mosquitto: /run/mosquitto && mosquitto -d -c /etc/mosquitto/mosquitto.conf (or: service mosquitto start)',
  name: (parts) => parts.join('/'),
  client: mqttTestClient,
})

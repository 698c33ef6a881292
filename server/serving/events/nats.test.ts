import { natsTestClient } from './test-clients'
import { describeBroker } from './test-support'

describeBroker({
  kind: 'nats',
  label: 'NATS with JetStream',
  host: '127.0.0.1',
  port: 4222,
  howToStart: 'nohup nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log >/dev/null 2>&1 &',
  name: (parts) => parts.join('.'),
  client: natsTestClient,
})

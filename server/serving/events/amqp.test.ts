import { amqpTestClient } from './test-clients'
import { describeBroker } from './test-support'

describeBroker({
  kind: 'amqp',
  label: 'RabbitMQ (AMQP)',
  host: '127.0.0.1',
  port: 5672,
  howToStart: 'rabbitmq-server -detached (or: service rabbitmq-server start), then wait for `rabbitmqctl await_startup`',
  name: (parts) => parts.join('.'),
  client: amqpTestClient,
})

import type { TokenCheck } from '@bytebot/config';
import { type AgentClientEvents, type AgentServerEvents, taskIdSchema } from '@bytebot/protocol';
import { Inject } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import type { SocketAdapter } from '../fleet/live-events-adapter.ts';
import { TaskEvents } from '../tasks/task-events.ts';
import { authorizeToken, liveEventsToken } from './injection-tokens.ts';
import { messageBody, taskBody } from './task-body.ts';

/** How this agent's live events reach clients of other agents: socket.io's Redis adapter in a fleet. */
export interface LiveEventsSettings {
  adapter: SocketAdapter | undefined;
}

/**
 * Live events over socket.io, as the original agent sends them: task_created and task_deleted (the id
 * string) to everyone, new_message to the task's room (join_task / leave_task). task_updated goes to
 * everyone, so a task list stays live without joining every room. The payloads are the protocol's
 * (agentEventSchemas). The handshake needs the token, like every route. In a fleet (REDIS_URL) the
 * events go through Redis: each agent emits what happens in its process, and every agent's clients get it.
 */
// destroyUpgrade: socket.io would end every other websocket upgrade after a second; the agent's own upgrade
// handler (desktop-websockify.ts) answers those, and a live view's upstream may take longer to connect.
@WebSocketGateway({ cors: { origin: false }, destroyUpgrade: false })
export class TasksGateway implements OnGatewayInit {
  @WebSocketServer() server!: Server<AgentClientEvents, AgentServerEvents>;

  constructor(
    @Inject(TaskEvents) private readonly events: TaskEvents,
    @Inject(authorizeToken) private readonly isValidToken: TokenCheck,
    @Inject(liveEventsToken) private readonly liveEvents: LiveEventsSettings,
  ) {}

  afterInit(server: Server<AgentClientEvents, AgentServerEvents>): void {
    if (this.liveEvents.adapter) server.adapter(this.liveEvents.adapter);
    server.use((socket, next) => {
      const header = socket.handshake.headers.authorization;
      const fromHeader = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
      const fromAuth =
        typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
      if (this.isValidToken(fromAuth ?? fromHeader)) next();
      else next(new Error('unauthorized: send the token as auth.token or an Authorization header'));
    });
    this.events.on('task_created', (task) => server.emit('task_created', taskBody(task)));
    this.events.on('task_updated', (task) => server.emit('task_updated', taskBody(task)));
    this.events.on('task_deleted', (taskId) => server.emit('task_deleted', taskId));
    this.events.on('new_message', (message) =>
      server.to(message.taskId).emit('new_message', messageBody(message)),
    );
  }

  @SubscribeMessage('join_task')
  async join(@ConnectedSocket() socket: Socket, @MessageBody() taskId: unknown) {
    if (!taskIdSchema.safeParse(taskId).success) return { error: 'expected a task id' };
    await socket.join(taskId as string);
    return { joined: taskId };
  }

  @SubscribeMessage('leave_task')
  async leave(@ConnectedSocket() socket: Socket, @MessageBody() taskId: unknown) {
    if (typeof taskId === 'string') await socket.leave(taskId);
    return { left: taskId };
  }
}

import type { TokenCheck } from '@bytebot/config';
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
import { TaskEvents } from '../tasks/task-events.ts';
import { taskIdParameter } from '../tasks/task-queries.ts';
import { authorizeToken } from './injection-tokens.ts';

/**
 * Live events over socket.io, as the original agent sends them: task_created and task_deleted to
 * everyone, new_message to the task's room (join_task / leave_task). task_updated goes to everyone, so a
 * task list stays live without joining every room. The handshake needs the token, like every route.
 */
@WebSocketGateway({ cors: { origin: false } })
export class TasksGateway implements OnGatewayInit {
  @WebSocketServer() server!: Server;

  constructor(
    @Inject(TaskEvents) private readonly events: TaskEvents,
    @Inject(authorizeToken) private readonly isValidToken: TokenCheck,
  ) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const header = socket.handshake.headers.authorization;
      const fromHeader = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
      const fromAuth =
        typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
      if (this.isValidToken(fromAuth ?? fromHeader)) next();
      else next(new Error('unauthorized: send the token as auth.token or an Authorization header'));
    });
    this.events.on('task_created', (task) => server.emit('task_created', task));
    this.events.on('task_updated', (task) => server.emit('task_updated', task));
    this.events.on('task_deleted', (task) => server.emit('task_deleted', task));
    this.events.on('new_message', (message) => server.to(message.taskId).emit('new_message', message));
  }

  @SubscribeMessage('join_task')
  async join(@ConnectedSocket() socket: Socket, @MessageBody() taskId: unknown) {
    if (!taskIdParameter.safeParse(taskId).success) return { error: 'expected a task id' };
    await socket.join(taskId as string);
    return { joined: taskId };
  }

  @SubscribeMessage('leave_task')
  async leave(@ConnectedSocket() socket: Socket, @MessageBody() taskId: unknown) {
    if (typeof taskId === 'string') await socket.leave(taskId);
    return { left: taskId };
  }
}

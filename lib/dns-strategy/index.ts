export * from './options';
export * from './strategy';

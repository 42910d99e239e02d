export { registryModule } from './registry-module';
